import os; exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'harness.py')).read())
import openvino.opset14 as ops14
x2 = f32(2, 3, 17, 29)
cases = [  # kernel, strides, dil, pb, pe, rounding, auto_pad
    ([3, 3], [1, 1], [1, 1], [1, 1], [1, 1], 'floor', 'explicit'),
    ([3, 3], [2, 2], [1, 1], [1, 1], [1, 1], 'floor', 'explicit'),
    ([3, 3], [2, 2], [1, 1], [0, 0], [0, 0], 'ceil', 'explicit'),
    ([2, 2], [2, 2], [1, 1], [0, 0], [0, 0], 'ceil', 'explicit'),
    ([3, 2], [2, 3], [1, 1], [1, 0], [2, 1], 'ceil', 'explicit'),
    ([5, 5], [1, 1], [1, 1], [2, 2], [2, 2], 'floor', 'explicit'),
    ([3, 3], [1, 1], [2, 2], [2, 2], [2, 2], 'floor', 'explicit'),
    ([3, 3], [2, 2], [1, 1], [0, 0], [0, 0], 'floor', 'same_upper'),
    ([4, 4], [2, 2], [1, 1], [0, 0], [0, 0], 'floor', 'same_lower'),
    ([3, 3], [1, 1], [1, 1], [0, 0], [0, 0], 'floor', 'valid'),
    ([2, 3], [3, 2], [1, 1], [1, 1], [1, 1], 'ceil_torch', 'explicit'),
    ([1, 1], [1, 1], [1, 1], [0, 0], [0, 0], 'floor', 'explicit'),
    ([3, 3], [1, 1], [1, 1], [0, 0], [0, 0], 'floor', 'explicit'),
]
for i, (kk, s, d, pb, pe, r, ap) in enumerate(cases):
    r1 = r if r != 'ceil_torch' else 'ceil'
    if d == [1, 1]:
        check(f'maxpool1_{i}', lambda p, kk=kk, s=s, pb=pb, pe=pe, r=r1, ap=ap: ops1.max_pool(p, s, pb, pe, kk, r, ap), [x2])
    for axis in (0, 2):
        check(f'maxpool14_{i}_ax{axis}', lambda p, kk=kk, s=s, d=d, pb=pb, pe=pe, r=r, ap=ap, axis=axis: ops14.max_pool(p, s, d, pb, pe, kk, r, ap, 'i64', axis).outputs(), [x2])
    check(f'maxpool8_{i}_i32', lambda p, kk=kk, s=s, d=d, pb=pb, pe=pe, r=r1, ap=ap: ops8.max_pool(p, s, d, pb, pe, kk, r, ap, 'i32', 1).outputs(), [x2])
    if d == [1, 1]:
        for ex in (False, True):
            check(f'avgpool14_{i}_ex{int(ex)}', lambda p, kk=kk, s=s, pb=pb, pe=pe, r=r, ap=ap, ex=ex: ops14.avg_pool(p, s, pb, pe, kk, ex, r, ap), [x2])
            check(f'avgpool1_{i}_ex{int(ex)}', lambda p, kk=kk, s=s, pb=pb, pe=pe, r=r1, ap=ap, ex=ex: ops1.avg_pool(p, s, pb, pe, kk, ex, r, ap), [x2])
# 1D and 3D
x1 = f32(2, 3, 41); x3 = f32(1, 2, 6, 9, 11)
check('maxpool_1d', lambda p: ops14.max_pool(p, [2], [1], [1], [1], [3], 'ceil', 'explicit', 'i64', 0).outputs(), [x1])
check('avgpool_1d', lambda p: ops14.avg_pool(p, [2], [1], [1], [3], True, 'ceil', 'explicit'), [x1])
check('maxpool_3d', lambda p: ops14.max_pool(p, [2, 1, 2], [1, 1, 1], [1, 0, 1], [1, 1, 0], [3, 2, 3], 'ceil', 'explicit', 'i64', 0).outputs(), [x3])
check('avgpool_3d_ex0', lambda p: ops14.avg_pool(p, [2, 1, 2], [1, 0, 1], [1, 1, 0], [3, 2, 3], False, 'floor', 'explicit'), [x3])
check('avgpool_3d_ex1', lambda p: ops14.avg_pool(p, [2, 1, 2], [1, 0, 1], [1, 1, 0], [3, 2, 3], True, 'ceil', 'explicit'), [x3])
check('maxpool_wide', lambda p: ops14.max_pool(p, [1, 1], [1, 1], [1, 1], [1, 1], [3, 3], 'floor', 'explicit', 'i64', 0).outputs(), [f32(1, 4, 13, 77)])
check('maxpool_i8', lambda p: ops1.max_pool(p, [2, 2], [0, 0], [0, 0], [2, 2], 'floor', 'explicit'), [rng.integers(-100, 100, (1, 3, 8, 10)).astype(np.int8)])
check('maxpool_u8', lambda p: ops1.max_pool(p, [2, 2], [1, 1], [1, 1], [3, 3], 'floor', 'explicit'), [rng.integers(0, 255, (1, 3, 8, 30)).astype(np.uint8)])
# adaptive
for shp, o in [((2, 3, 17, 29), [5, 7]), ((2, 3, 16, 16), [4, 4]), ((1, 2, 9), [4]), ((1, 2, 5, 6, 7), [2, 3, 4]), ((1, 3, 7, 7), [1, 1]), ((1, 3, 5, 5), [7, 9])]:
    xa = f32(*shp)
    nm = 'x'.join(map(str, o))
    check(f'adaptive_avg_{nm}', lambda p, o=o: ops.adaptive_avg_pool(p, c(o)), [xa])
    
    check(f'adaptive_max_{nm}_i32', lambda p, o=o: ops.adaptive_max_pool(p, c(o), 'i32').outputs(), [xa])
print('SUMMARY', sum(r[1]=='ok' for r in results), '/', len(results))
for r in results:
    if r[1] != 'ok': print(r)
