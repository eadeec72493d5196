import { InputError } from '@corpus-tune/core';
import type { AnnotationRegion, SlideAnnotations } from './annotation-types.ts';

const HEADER = [
  'index',
  'region_id',
  'tissue',
  'label',
  'coord_index',
  'row',
  'column',
  'depth',
  'confidence',
];

/**
 * TUDP's CSV form of a region annotation (NEDC `nedc_ann_dpath_tools`): `#` comment header with
 * MicronsPerPixel and `width = W pixels, height = H pixels`, then one row per vertex. NEDC writes
 * row = Y and column = X; we fix that one convention (X = column, Y = row) for both formats.
 */
export function parseTudpCsv(text: string, file: string): SlideAnnotations {
  let micronsPerPixel: number | null = null;
  let declaredWidthPx: number | null = null;
  let declaredHeightPx: number | null = null;
  let header: string[] | null = null;
  const byRegion = new Map<string, { label: string; points: { order: number; x: number; y: number }[] }>();
  const lines = text.split(/\r?\n/);
  for (let lineNo = 1; lineNo <= lines.length; lineNo++) {
    const line = lines[lineNo - 1].trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const mpp = /MicronsPerPixel\s*=\s*([\d.eE+-]+)/i.exec(line);
      if (mpp) micronsPerPixel = Number(mpp[1]) > 0 ? Number(mpp[1]) : null;
      const size = /width\s*=\s*(\d+)\s*pixels?\s*,\s*height\s*=\s*(\d+)/i.exec(line);
      if (size) {
        declaredWidthPx = Number(size[1]);
        declaredHeightPx = Number(size[2]);
      }
      continue;
    }
    const cells = line.split(',').map((c) => c.trim());
    if (header === null) {
      header = cells.map((c) => c.toLowerCase());
      const missing = HEADER.filter((h) => h !== 'depth' && h !== 'confidence' && !header!.includes(h));
      if (missing.length > 0)
        throw new InputError(
          `line ${lineNo}: CSV header lacks ${missing.join(', ')} (expected ${HEADER.join(',')})`,
          { file },
        );
      continue;
    }
    const get = (name: string): string => cells[header!.indexOf(name)] ?? '';
    const x = Number(get('column'));
    const y = Number(get('row'));
    const order = Number(get('coord_index'));
    if (
      get('column') === '' ||
      get('row') === '' ||
      !Number.isFinite(x) ||
      !Number.isFinite(y) ||
      !Number.isFinite(order)
    ) {
      throw new InputError(`line ${lineNo}: row/column/coord_index must be numbers`, { file });
    }
    const regionId = get('region_id');
    let region = byRegion.get(regionId);
    if (!region) {
      region = { label: get('label'), points: [] };
      byRegion.set(regionId, region);
    } else if (region.label !== get('label')) {
      throw new InputError(
        `line ${lineNo}: region ${regionId} changes label from ${region.label} to ${get('label')}`,
        { file },
      );
    }
    region.points.push({ order, x, y });
  }
  if (header === null)
    throw new InputError(
      'no CSV header line (expected index,region_id,tissue,label,coord_index,row,column,…)',
      { file },
    );
  const regions: AnnotationRegion[] = [];
  for (const [id, region] of byRegion) {
    if (region.points.length < 3)
      throw new InputError(`region ${id}: a polygon needs at least 3 vertices, got ${region.points.length}`, {
        file,
      });
    region.points.sort((a, b) => a.order - b.order);
    const vertices = new Float64Array(region.points.length * 2);
    region.points.forEach((p, i) => {
      vertices[2 * i] = p.x;
      vertices[2 * i + 1] = p.y;
    });
    regions.push({ id, rawLabel: region.label, vertices, negative: false });
  }
  return { file, micronsPerPixel, declaredWidthPx, declaredHeightPx, regions, nonAreaRegions: 0 };
}

/** Writes the TUDP CSV form (row = Y, column = X), for tests and conversions. */
export function tudpCsvFrom(annotations: {
  micronsPerPixel: number;
  widthPx: number;
  heightPx: number;
  bname: string;
  regions: { id: string; label: string; vertices: ArrayLike<number> }[];
}): string {
  const lines = [
    '# version = csv_v1.0.0',
    `# MicronsPerPixel = ${annotations.micronsPerPixel}`,
    `# bname = ${annotations.bname}`,
    `# width = ${annotations.widthPx} pixels, height = ${annotations.heightPx} pixels`,
    '# tissue = breast',
    '#',
    HEADER.join(','),
  ];
  let index = 0;
  for (const region of annotations.regions) {
    for (let i = 0; i < region.vertices.length; i += 2) {
      lines.push(
        [
          index++,
          region.id,
          'breast',
          region.label,
          i / 2,
          region.vertices[i + 1],
          region.vertices[i],
          0,
          '1.0000',
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
