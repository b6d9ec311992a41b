# corpus: output
# A child process sends results back through a multiprocessing.Queue.
from multiprocessing import Process, Queue

def square_all(q, xs):
    for x in xs:
        q.put(x * x)
    q.put(None)

q = Queue()
p = Process(target=square_all, args=(q, [1, 2, 3, 4]))
p.start()
got = []
while True:
    v = q.get()
    if v == None:
        break
    got.append(v)
p.join()
print(got)
