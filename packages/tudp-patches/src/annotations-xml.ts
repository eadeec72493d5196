import { XMLParser } from 'fast-xml-parser';
import { InputError } from '@corpus-tune/core';
import type { AnnotationRegion, SlideAnnotations } from './annotation-types.ts';

type XmlNode = Record<string, unknown>;

const ARRAY_TAGS = new Set(['Annotation', 'Region', 'Vertex', 'Attribute']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Keep attribute values as text: coordinates are parsed explicitly, and "0" MicronsPerPixel must not vanish.
  parseAttributeValue: false,
  isArray: (name) => ARRAY_TAGS.has(name),
});

function children(node: unknown, key: string): XmlNode[] {
  if (node === null || typeof node !== 'object') return [];
  const value = (node as XmlNode)[key];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function attr(node: XmlNode, name: string): string | undefined {
  const value = node[name];
  return typeof value === 'string' ? value : undefined;
}

function positive(text: string | undefined): number | null {
  const n = Number(text);
  return text !== undefined && Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * Aperio ImageScope XML (`Annotations/Annotation/Regions/Region/Vertices/Vertex`), as written by
 * ImageScope and by NEDC's TUDP tools. The label is the Region's `Text` (NEDC convention), falling
 * back to the Annotation's `Name`; Z is optional (absent in some writers).
 */
export function parseImageScopeXml(text: string, file: string): SlideAnnotations {
  let doc: XmlNode;
  try {
    doc = parser.parse(text, true) as XmlNode;
  } catch (error) {
    throw new InputError(`not well-formed XML: ${(error as Error).message.split('\n')[0]}`, {
      file,
      cause: error,
    });
  }
  const root = doc.Annotations;
  if (root === undefined || root === null || typeof root !== 'object') {
    throw new InputError('no <Annotations> root element (not an ImageScope XML file)', { file });
  }
  const rootNode = root as XmlNode;
  let declaredWidthPx: number | null = null;
  let declaredHeightPx: number | null = null;
  const regions: AnnotationRegion[] = [];
  let nonAreaRegions = 0;
  for (const annotation of children(rootNode, 'Annotation')) {
    for (const attribute of children(annotation.Attributes, 'Attribute')) {
      const name = (attr(attribute, 'Name') ?? '').toLowerCase();
      if (name === 'width') declaredWidthPx = positive(attr(attribute, 'Value'));
      if (name === 'height') declaredHeightPx = positive(attr(attribute, 'Value'));
    }
    const annotationName = attr(annotation, 'Name') ?? '';
    for (const region of children(annotation.Regions, 'Region')) {
      const id = attr(region, 'Id') ?? String(regions.length + 1);
      const vertexNodes = children(region.Vertices, 'Vertex');
      const vertices = new Float64Array(vertexNodes.length * 2);
      vertexNodes.forEach((vertex, i) => {
        const x = Number(attr(vertex, 'X'));
        const y = Number(attr(vertex, 'Y'));
        if (!Number.isFinite(x) || !Number.isFinite(y)) {
          throw new InputError(`region ${id}: vertex ${i} has no numeric X/Y`, { file });
        }
        vertices[2 * i] = x;
        vertices[2 * i + 1] = y;
      });
      const type = attr(region, 'Type');
      let ring: Float64Array = vertices;
      if (vertexNodes.length === 2 && (type === '1' || type === '2')) {
        // ImageScope stores rectangles (Type 1) and ellipses (Type 2) drawn by two corners.
        ring = type === '1' ? rectangleFrom(vertices) : ellipseFrom(vertices);
      } else if (vertexNodes.length < 3) {
        // Arrows and rulers (Type 3/4, two points) mark things but enclose no area: nothing to label.
        nonAreaRegions++;
        continue;
      }
      const textLabel = (attr(region, 'Text') ?? '').trim();
      regions.push({
        id,
        rawLabel: textLabel || annotationName,
        vertices: ring,
        negative: attr(region, 'NegativeROA') === '1',
      });
    }
  }
  return {
    file,
    micronsPerPixel: positive(attr(rootNode, 'MicronsPerPixel')),
    declaredWidthPx,
    declaredHeightPx,
    regions,
    nonAreaRegions,
  };
}

function rectangleFrom(corners: Float64Array): Float64Array {
  const [x0, y0, x1, y1] = corners;
  return Float64Array.from([x0, y0, x1, y0, x1, y1, x0, y1]);
}

/** A 64-gon through the ellipse inscribed in the two corners' box (finer than any patch grid needs). */
function ellipseFrom(corners: Float64Array, vertexCount = 64): Float64Array {
  const [x0, y0, x1, y1] = corners;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const out = new Float64Array(vertexCount * 2);
  for (let i = 0; i < vertexCount; i++) {
    const t = (i / vertexCount) * Math.PI * 2;
    out[2 * i] = cx + (Math.abs(x1 - x0) / 2) * Math.cos(t);
    out[2 * i + 1] = cy + (Math.abs(y1 - y0) / 2) * Math.sin(t);
  }
  return out;
}

/** Writes ImageScope XML in the NEDC/TUDP style (label in Region Text, integer-ish vertices, Z="0"). */
export function imageScopeXmlFrom(annotations: {
  micronsPerPixel: number;
  widthPx: number;
  heightPx: number;
  regions: { id: string; label: string; vertices: ArrayLike<number> }[];
}): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Annotations MicronsPerPixel="${annotations.micronsPerPixel.toFixed(6)}">`,
    '  <Annotation Id="1" Name="" ReadOnly="0" NameReadOnly="0" LineColorReadOnly="0" Incremental="0" Type="4" LineColor="65280" Visible="1" Selected="0" MarkupImagePath="" MacroName="">',
    '    <Attributes>',
    `      <Attribute Name="width" Id="0" Value="${annotations.widthPx}"/>`,
    `      <Attribute Name="height" Id="1" Value="${annotations.heightPx}"/>`,
    '    </Attributes>',
    '    <Regions>',
  ];
  for (const region of annotations.regions) {
    lines.push(
      `      <Region Id="${region.id}" Type="0" Zoom="1" Selected="0" ImageLocation="" ImageFocus="-1" Text="${region.label}" NegativeROA="0" InputRegionId="0" Analyze="1" DisplayId="${region.id}">`,
    );
    lines.push(`        <Attributes><Attribute Name="tissue" Id="0" Value="breast"/></Attributes>`);
    lines.push('        <Vertices>');
    for (let i = 0; i < region.vertices.length; i += 2) {
      lines.push(
        `          <Vertex X="${region.vertices[i].toFixed(1)}" Y="${region.vertices[i + 1].toFixed(1)}" Z="0"/>`,
      );
    }
    lines.push('        </Vertices>', '      </Region>');
  }
  lines.push('    </Regions>', '  </Annotation>', '</Annotations>', '');
  return lines.join('\n');
}
