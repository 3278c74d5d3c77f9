import os; exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'harness.py')).read())
import itertools
x = f32(2, 5, 7, 19)
for ax in range(-4, 4):
    check(f'softmax8_{ax}', lambda p, ax=ax: ops8.softmax(p, ax), [x])
    check(f'logsoftmax_{ax}', lambda p, ax=ax: ops.log_softmax(p, ax), [x])
for ax in range(4):
    check(f'softmax1_{ax}', lambda p, ax=ax: ops1.softmax(p, ax), [x])
check('softmax_big_inner', lambda p: ops8.softmax(p, -1), [f32(3, 1000) * 5])
check('softmax_2d_0', lambda p: ops8.softmax(p, 0), [f32(33, 17) * 3])
# MVN-6
for axes in [[3], [2, 3], [1, 2, 3], [1], [0, 2], [0, 1, 2, 3], [-1]]:
    for nv in (True, False):
        for mode in ('inside_sqrt', 'outside_sqrt'):
            check(f'mvn6_{"".join(map(str,axes))}_{int(nv)}_{mode[:3]}', lambda p, axes=axes, nv=nv, mode=mode: ops.mvn(p, c(axes), nv, 1e-5, mode), [x * 3 + 1])
# MVN-1
for across in (False, True):
    for nv in (True, False):
        check(f'mvn1_{int(across)}_{int(nv)}', lambda p, a=across, nv=nv: ops2.mvn(p, across_channels=a, normalize_variance=nv, eps=1e-6), [x * 3 + 1])
#check('mvn1_axes', lambda p: ops2.mvn(p, reduction_axes=[1, 3], normalize_variance=True, eps=1e-6), [x * 3 + 1])
# NormalizeL2
for axes in [[1], [3], [2, 3], [1, 2, 3], [0]]:
    for mode in ('add', 'max'):
        check(f'l2norm_{"".join(map(str,axes))}_{mode}', lambda p, axes=axes, mode=mode: ops.normalize_l2(p, c(axes), 1e-3, mode), [x])
# BatchNorm
C = 5
g, b, m, v = f32(C), f32(C), f32(C), np.abs(f32(C)) + 0.1
check('bn5_4d', lambda p: ops.batch_norm_inference(p, ops.constant(g), ops.constant(b), ops.constant(m), ops.constant(v), 1e-3), [x])
check('bn5_2d', lambda p: ops.batch_norm_inference(p, ops.constant(g), ops.constant(b), ops.constant(m), ops.constant(v), 1e-3), [f32(3, 5)])
check('bn1_4d', lambda p: ops1.batch_norm_inference(p, ops.constant(g), ops.constant(b), ops.constant(m), ops.constant(v), 1e-3), [x])
# GroupNorm
xg = f32(2, 6, 5, 7)
for G in (1, 2, 3, 6):
    check(f'groupnorm_{G}', lambda p, G=G: ops.group_normalization(p, ops.constant(f32(6)), ops.constant(f32(6)), G, 1e-5), [xg * 2 + 1])
# LRN
for axes in ([1], [2, 3], [3], [1, 2]):
    for size in (3, 5):
        check(f'lrn_{"".join(map(str,axes))}_{size}', lambda p, axes=axes, size=size: ops.lrn(p, c(axes), 1e-2, 0.75, 2.0, size), [x])
# CumSum
for ax in range(4):
    for ex in (False, True):
        for rev in (False, True):
            check(f'cumsum_{ax}_{int(ex)}{int(rev)}', lambda p, ax=ax, ex=ex, rev=rev: ops.cumsum(p, c(ax), ex, rev), [x])
check('cumsum_i32', lambda p: ops.cumsum(p, c(1), False, False), [rng.integers(-9, 9, (4, 7, 3)).astype(np.int32)])
check('cumsum_i64_last', lambda p: ops.cumsum(p, c(-1), True, True), [rng.integers(-9, 9, (4, 7, 3)).astype(np.int64)])
print('SUMMARY', sum(r[1]=='ok' for r in results), '/', len(results))
for r in results:
    if r[1] != 'ok': print(r)
