# corpus: output
# Two tasks that give up control with await asyncio.sleep(0) take turns in a fixed order.
import asyncio

log = []

async def worker(name, steps):
    for i in range(steps):
        log.append(name)
        await asyncio.sleep(0)
    return steps

async def main():
    a, b = await asyncio.gather(worker('a', 3), worker('b', 2))
    print(a, b)

asyncio.run(main())
print(log)
