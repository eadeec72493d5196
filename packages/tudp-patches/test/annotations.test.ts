import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@corpus-tune/core';
import { readAnnotations, validateAnnotations } from '../src/annotations.ts';
import { imageScopeXmlFrom, parseImageScopeXml } from '../src/annotations-xml.ts';
import { parseTudpCsv, tudpCsvFrom } from '../src/annotations-csv.ts';
import { annotationsDir, sharedMissing, tempDir } from './helpers.ts';

const square = (x: number, y: number, size: number): number[] => [
  x,
  y,
  x + size,
  y,
  x + size,
  y + size,
  x,
  y + size,
];

test(
  'real ImageScope XML (TCGA, X/Y only, MicronsPerPixel 0.252) parses into 3 freehand regions',
  { skip: sharedMissing },
  () => {
    const a = readAnnotations(join(annotationsDir, 'imagescope_TCGA-EJ-5519-01Z-00-DX1.xml'));
    assert.equal(a.micronsPerPixel, 0.252);
    assert.equal(a.regions.length, 3);
    for (const r of a.regions) {
      assert.ok(r.vertices.length / 2 > 100, `region ${r.id} has ${r.vertices.length / 2} vertices`);
      assert.equal(r.rawLabel, '', 'the kept file has empty Region Text');
    }
    // The file's `<Vertex X="17104.471097" Y="19233.643004"/>`, read as X = column, Y = row (level-0 px).
    const found = a.regions.some((r) =>
      r.vertices.some(
        (v, i) =>
          i % 2 === 0 &&
          Math.abs(v - 17104.471097) < 1e-6 &&
          Math.abs(r.vertices[i + 1] - 19233.643004) < 1e-6,
      ),
    );
    assert.ok(found);
  },
);

test(
  'real ImageScope XML with MicronsPerPixel="0", Z="0", rectangles, an ellipse and arrows',
  { skip: sharedMissing },
  () => {
    const a = readAnnotations(join(annotationsDir, 'imagescope_one-sixth_test.xml'));
    assert.equal(a.micronsPerPixel, null, 'MicronsPerPixel 0 means unknown');
    // 1 freehand + 2 rectangles (4 points) + 1 ellipse (2 corners, Type 2); 3 arrows (Type 3) enclose nothing.
    assert.equal(a.regions.length, 4);
    assert.equal(a.nonAreaRegions, 3);
    const ellipse = a.regions[3].vertices;
    assert.equal(ellipse.length, 128);
    let minX = Infinity,
      maxX = -Infinity,
      minY = Infinity,
      maxY = -Infinity;
    for (let i = 0; i < ellipse.length; i += 2) {
      minX = Math.min(minX, ellipse[i]);
      maxX = Math.max(maxX, ellipse[i]);
      minY = Math.min(minY, ellipse[i + 1]);
      maxY = Math.max(maxY, ellipse[i + 1]);
    }
    assert.deepEqual([minX, maxX].map(Math.round), [85, 423]);
    assert.deepEqual([minY, maxY].map(Math.round), [909, 1109]);
    assert.deepEqual([...a.regions[1].vertices], [532, 23, 852, 23, 852, 380, 532, 380]);
  },
);

test(
  'unlabelled real regions are an unknown-label error naming the file and region, unless ignored',
  { skip: sharedMissing },
  () => {
    const path = join(annotationsDir, 'imagescope_TCGA-EJ-5519-01Z-00-DX1.xml');
    const a = readAnnotations(path);
    assert.throws(
      () => validateAnnotations(a, { widthPx: 1e6, heightPx: 1e6 }, []),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.ok(e.message.startsWith(path));
        assert.match(e.message, /region 1: unknown label ""/);
        return true;
      },
    );
    assert.equal(validateAnnotations(a, { widthPx: 1e6, heightPx: 1e6 }, ['']).length, 0);
  },
);

const regions = [
  { id: '1', label: 'indc', vertices: square(100, 200, 300) },
  { id: '2', label: 'dcis', vertices: [600, 100, 900, 150, 750, 500] },
];

test('XML and TUDP CSV give the same polygons, with X = column and Y = row in both', () => {
  const xml = parseImageScopeXml(
    imageScopeXmlFrom({ micronsPerPixel: 0.25, widthPx: 1000, heightPx: 800, regions }),
    'a.xml',
  );
  const csvText = tudpCsvFrom({ micronsPerPixel: 0.25, widthPx: 1000, heightPx: 800, bname: 'a', regions });
  // The CSV writes row (Y) before column (X): the first vertex (100, 200) is "…,0,200,100,0,1.0000".
  assert.match(csvText, /^0,1,breast,indc,0,200,100,0,1\.0000$/m);
  const csv = parseTudpCsv(csvText, 'a.csv');
  for (const parsed of [xml, csv]) {
    assert.equal(parsed.micronsPerPixel, 0.25);
    assert.deepEqual([parsed.declaredWidthPx, parsed.declaredHeightPx], [1000, 800]);
    assert.deepEqual(
      parsed.regions.map((r) => [r.id, r.rawLabel, [...r.vertices]]),
      regions.map((r) => [r.id, r.label, r.vertices]),
    );
  }
});

test('CSV vertices are ordered by coord_index, whatever the row order', () => {
  const text = [
    '# MicronsPerPixel = 0.5',
    'index,region_id,tissue,label,coord_index,row,column,depth,confidence',
    '0,7,breast,dcis,2,10,10,0,1',
    '1,7,breast,dcis,0,0,0,0,1',
    '2,7,breast,dcis,1,0,10,0,1',
  ].join('\n');
  assert.deepEqual([...parseTudpCsv(text, 'x.csv').regions[0].vertices], [0, 0, 10, 0, 10, 10]);
});

const BAD: { name: string; file: string; text: string; error: RegExp }[] = [
  {
    name: 'XML that is not XML',
    file: 'bad.xml',
    text: '<Annotations><Annotation>',
    error: /not well-formed XML|no <Annotations>/,
  },
  { name: 'XML without Annotations root', file: 'bad.xml', text: '<Foo/>', error: /no <Annotations> root/ },
  {
    name: 'XML vertex without numbers',
    file: 'bad.xml',
    text: '<Annotations><Annotation><Regions><Region Id="4" Text="indc"><Vertices><Vertex X="a" Y="1"/><Vertex X="1" Y="1"/><Vertex X="2" Y="2"/></Vertices></Region></Regions></Annotation></Annotations>',
    error: /region 4: vertex 0 has no numeric X\/Y/,
  },
  { name: 'CSV without header', file: 'bad.csv', text: '# only comments\n', error: /no CSV header/ },
  { name: 'CSV with a wrong header', file: 'bad.csv', text: 'a,b,c\n', error: /header lacks/ },
  {
    name: 'CSV with a non-numeric row',
    file: 'bad.csv',
    text: 'index,region_id,tissue,label,coord_index,row,column\n0,1,b,indc,0,x,1\n',
    error: /line 2: row\/column\/coord_index must be numbers/,
  },
  {
    name: 'unsupported extension',
    file: 'bad.json',
    text: '{}',
    error: /must be ImageScope \.xml or TUDP \.csv/,
  },
];

for (const c of BAD) {
  test(`bad annotation: ${c.name}`, (t) => {
    const path = join(tempDir(t), c.file);
    writeFileSync(path, c.text);
    assert.throws(
      () => readAnnotations(path),
      (e: unknown) => e instanceof InputError && e.message.startsWith(path) && c.error.test(e.message),
    );
  });
}

test('an annotation outside the slide bounds is an error naming the file, region and vertex', () => {
  const a = parseImageScopeXml(
    imageScopeXmlFrom({ micronsPerPixel: 0.25, widthPx: 1000, heightPx: 800, regions }),
    'a.xml',
  );
  assert.throws(
    () => validateAnnotations(a, { widthPx: 800, heightPx: 800 }, []),
    /a\.xml: region 2 \(dcis\): vertex \(900, 150\) lies outside the slide \(800 × 800 px\)$/,
  );
  assert.equal(validateAnnotations(a, { widthPx: 1000, heightPx: 800 }, []).length, 2);
});

test('labels are matched case-insensitively; unknown ones fail listing the TUDP set, or are ignored on request', () => {
  const xml = imageScopeXmlFrom({
    micronsPerPixel: 0.25,
    widthPx: 1000,
    heightPx: 800,
    regions: [
      { id: '1', label: 'INDC', vertices: square(0, 0, 10) },
      { id: '2', label: 'tumour', vertices: square(20, 20, 10) },
    ],
  });
  const a = parseImageScopeXml(xml, 'l.xml');
  assert.throws(
    () => validateAnnotations(a, { widthPx: 1000, heightPx: 800 }, []),
    /l\.xml: region 2: unknown label "tumour" \(TUDP labels: bckg, norm, null, artf, nneo, infl, susp, dcis, indc; pass --ignore-label tumour to skip it\)/,
  );
  const kept = validateAnnotations(a, { widthPx: 1000, heightPx: 800 }, ['Tumour']);
  assert.deepEqual(
    kept.map((r) => r.label),
    ['indc'],
  );
});
