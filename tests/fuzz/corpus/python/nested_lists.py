# corpus: output
# A matrix as nested lists: build, read, write, transpose.
grid = []
for r in range(3):
    row = []
    for c in range(4):
        row.append(r * 4 + c)
    grid.append(row)
print(grid)
print(grid[1][2], len(grid), len(grid[0]))
grid[2][3] = -1
print(grid[2])
t = []
for c in range(4):
    col = []
    for r in range(3):
        col.append(grid[r][c])
    t.append(col)
print(t)
