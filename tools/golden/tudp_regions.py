#!/usr/bin/python3
"""Golden pixels for packages/tudp-patches: regions read with Debian's python3-openslide (1.2.0 on
OpenSlide 3.4.1) + Pillow, the reference our koffi binding must match byte for byte.

Run from the workspace root:  /usr/bin/python3 tools/golden/tudp_regions.py
Writes packages/tudp-patches/test/golden/tudp-regions.json: per region the sha256 of the RGBA and
RGB bytes (RGB = Pillow's convert('RGB')) and a few pixel values, never the slides themselves.
"""
import hashlib
import json
import os

import openslide

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
SLIDES = os.path.join(ROOT, '..', 'shared', 'data', 'slides')
OUT = os.path.join(ROOT, 'packages', 'tudp-patches', 'test', 'golden', 'tudp-regions.json')

# (file, x, y, level, width, height): level-0 coordinates as openslide.read_region takes them.
REGIONS = [
    ('CMU-1-Small-Region.svs', 1000, 1000, 0, 256, 256),
    ('CMU-1-Small-Region.svs', 0, 0, 0, 512, 512),
    # Partly outside the slide: the outside must come back transparent (0, 0, 0, 0).
    ('CMU-1-Small-Region.svs', 2100, 2900, 0, 256, 128),
    ('hamamatsu_test3-DAPI-2-(387).ndpi', 1200, 1600, 0, 300, 200),
    ('hamamatsu_test3-DAPI-2-(387).ndpi', 512, 1024, 2, 128, 96),
    # Non-integer downsample (4.016) on a generic tiled TIFF.
    ('openslide-python_boxes.tiff', 40, 30, 2, 50, 40),
    ('openslide-python_boxes.tiff', 0, 0, 0, 300, 250),
    ('openslide-python_small.svs', 0, 0, 0, 16, 16),
]
ASSOCIATED = [('CMU-1-Small-Region.svs', 'thumbnail'), ('hamamatsu_test3-DAPI-2-(387).ndpi', 'macro')]


def describe(img):
    rgba = img.convert('RGBA')
    rgb = img.convert('RGB')
    w, h = rgba.size
    points = [(0, 0), (w // 2, h // 2), (w - 1, h - 1), (w // 3, (2 * h) // 3)]
    return {
        'width': w,
        'height': h,
        'rgbaSha256': hashlib.sha256(rgba.tobytes()).hexdigest(),
        'rgbSha256': hashlib.sha256(rgb.tobytes()).hexdigest(),
        'pixels': [{'x': x, 'y': y, 'rgba': list(rgba.getpixel((x, y)))} for x, y in points],
    }


def main():
    regions = []
    for name, x, y, level, w, h in REGIONS:
        with openslide.OpenSlide(os.path.join(SLIDES, name)) as slide:
            entry = {'file': name, 'x': x, 'y': y, 'level': level, 'width': w, 'height': h}
            entry.update(describe(slide.read_region((x, y), level, (w, h))))
            regions.append(entry)
    associated = []
    for name, image in ASSOCIATED:
        with openslide.OpenSlide(os.path.join(SLIDES, name)) as slide:
            entry = {'file': name, 'name': image}
            entry.update(describe(slide.associated_images[image]))
            associated.append(entry)
    out = {
        'generator': 'tools/golden/tudp_regions.py',
        'openslidePython': openslide.__version__,
        'openslide': openslide.__library_version__,
        'regions': regions,
        'associated': associated,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'wrote {len(regions)} regions and {len(associated)} associated images to {os.path.relpath(OUT, ROOT)}')


if __name__ == '__main__':
    main()
