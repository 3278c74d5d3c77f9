import os; exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'harness.py')).read())
import itertools
shape = (3, 5, 7, 19)
x = f32(*shape)
redops = {'sum': ops.reduce_sum, 'mean': ops.reduce_mean, 'max': ops.reduce_max, 'min': ops.reduce_min,
          'prod': ops.reduce_prod, 'l1': ops.reduce_l1, 'l2': ops.reduce_l2}
allaxes = [a for r in range(1, 5) for a in itertools.combinations(range(4), r)]
for nm, fn in redops.items():
    for axes in allaxes:
        for keep in (False, True):
            if nm == 'prod': xin = (1 + 0.05 * x).astype(np.float32)
            else: xin = x
            check(f'reduce_{nm}_{"".join(map(str,axes))}_{int(keep)}', lambda p, fn=fn, axes=axes, keep=keep: fn(p, c(list(axes)), keep), [xin])
# negative axes, empty axes
check('reduce_sum_neg', lambda p: ops.reduce_sum(p, c([-1, -3]), True), [x])
#check('reduce_sum_empty', lambda p: ops.reduce_sum(p, c([], np.int64), False), [x])
check('reduce_mean_big', lambda p: ops.reduce_mean(p, c([1]), False), [f32(2, 1000, 3)])
check('reduce_max_inner_big', lambda p: ops.reduce_max(p, c([2]), False), [f32(4, 3, 1001)])
# integer
xi = rng.integers(-50, 50, size=(4, 6, 9)).astype(np.int32)
for nm, fn in [('sum', ops.reduce_sum), ('max', ops.reduce_max), ('min', ops.reduce_min), ('mean', ops.reduce_mean), ('prod', ops.reduce_prod), ('l1', ops.reduce_l1)]:
    for axes in ([0], [2], [1, 2], [0, 2]):
        check(f'reduce_i32_{nm}_{"".join(map(str,axes))}', lambda p, fn=fn, axes=axes: fn(p, c(axes), False), [xi if nm != 'prod' else (xi % 3).astype(np.int32)])
xb = rng.integers(0, 2, size=(4, 6, 9)).astype(np.bool_)
for nm, fn in [('and', ops.reduce_logical_and), ('or', ops.reduce_logical_or)]:
    for axes in ([0], [2], [1, 2], [0, 1, 2]):
        check(f'reduce_{nm}_{"".join(map(str,axes))}', lambda p, fn=fn, axes=axes: fn(p, c(axes), True), [xb])
print('SUMMARY', sum(r[1]=='ok' for r in results), '/', len(results))
for r in results:
    if r[1] != 'ok': print(r)
