#!/usr/bin/python3
"""Golden patch resizes from Pillow, for packages/features/test/patches.test.ts.

Run with Debian's Pillow:  /usr/bin/python3 tools/golden/features_patch_resize.py
Writes packages/features/test/golden/patch_resize.json: a 64 × 64 RGB test image (a ramp, a 4-px
checkerboard and a disc, so edges show the kernel) resized by Pillow, independently of sharp:
  * 64 → 40 (÷1.6): Image.LANCZOS (Lanczos-3, support scaled by the factor, pixel-centre aligned);
  * 64 → 16 (÷4, the factor of 512-px TUDP patches → 128 px): LANCZOS with reducing_gap=2.0, i.e. a
    2 × 2 box reduce first, then Lanczos-3. That is libvips' documented resize for shrinks past its
    `gap` of 2 (vips_resize: integer box shrink, then the kernel), which sharp runs;
  * the same sizes with Image.BICUBIC, to show the stated tolerance separates the two kernels.
"""
import json
import os

import numpy as np
from PIL import Image, __version__ as pil_version

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'packages', 'features', 'test', 'golden', 'patch_resize.json')
N = 64


def image():
    y, x = np.mgrid[0:N, 0:N]
    img = np.zeros((N, N, 3), np.uint8)
    img[..., 0] = (x * 4) % 256
    img[..., 1] = np.where((x // 4 + y // 4) % 2 == 0, 40, 220)
    img[..., 2] = np.where((x - 32) ** 2 + (y - 28) ** 2 < 15 ** 2, 250, (y * 3) % 256)
    return Image.fromarray(img, 'RGB')


def main():
    im = image()
    flat = lambda a: np.asarray(a).ravel().tolist()  # noqa: E731
    golden = {
        'made_by': f'Pillow {pil_version} (tools/golden/features_patch_resize.py)',
        'sourcePx': N,
        'cases': {
            '40': {'lanczos': flat(im.resize((40, 40), Image.LANCZOS)), 'bicubic': flat(im.resize((40, 40), Image.BICUBIC))},
            '16': {'lanczos': flat(im.resize((16, 16), Image.LANCZOS, reducing_gap=2.0)),
                   'bicubic': flat(im.resize((16, 16), Image.BICUBIC, reducing_gap=2.0))},
        },
    }
    with open(OUT, 'w') as fh:
        json.dump(golden, fh, separators=(',', ':'))
        fh.write('\n')


if __name__ == '__main__':
    main()
