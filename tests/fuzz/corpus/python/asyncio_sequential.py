# corpus: output
# Gathers one after another, and a coroutine that gathers others: results in argument order.
import asyncio

async def fetch(n, delay):
    await asyncio.sleep(delay)
    return n * 10

async def fetch_two(a, b):
    xs = await asyncio.gather(fetch(a, 0.002), fetch(b, 0.001))
    return xs[0] + xs[1]

async def main():
    r = await asyncio.gather(fetch_two(1, 2))
    print(r)
    both = await asyncio.gather(fetch_two(3, 4), fetch(5, 0), fetch(6, 0.001))
    print(both)

asyncio.run(main())
