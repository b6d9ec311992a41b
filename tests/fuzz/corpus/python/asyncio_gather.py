# corpus: output
# asyncio.gather runs coroutines concurrently and returns their results in argument order.
import asyncio

async def square(x, delay):
    await asyncio.sleep(delay)
    print('done', x)
    return x * x

async def main():
    results = await asyncio.gather(square(3, 0.03), square(4, 0.01))
    print(results)
    return results[0] + results[1]

total = asyncio.run(main())
print(total)
