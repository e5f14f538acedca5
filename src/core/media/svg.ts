import render from 'dom-serializer';
import { Element, Text, isCDATA, isTag, isText, type ChildNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const XLINK_NAMESPACE = 'http://www.w3.org/1999/xlink';

/**
 * Drawing, text, paint-server and filter elements. Left out on purpose: script, foreignObject
 * (embeds HTML), image and feImage (load other resources), animate/set/animateMotion/animateTransform
 * (can set `href` to `javascript:` after sanitizing), iframe/video/audio/canvas, and every prefixed
 * (Inkscape, Sodipodi, Adobe) element.
 */
const SVG_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'a', 'style', 'switch',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'clipPath', 'mask', 'pattern', 'marker',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix',
  'feDiffuseLighting', 'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA',
  'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology',
  'feOffset', 'fePointLight', 'feSpecularLighting', 'feSpotLight', 'feTile', 'feTurbulence',
]);

/** Geometry, presentation and filter attributes, lower-cased; no event handler is ever listed. */
const SVG_ATTRIBUTES = new Set([
  'id', 'class', 'style', 'transform', 'viewbox', 'preserveaspectratio', 'version', 'width', 'height',
  'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'fx', 'fy', 'fr', 'd', 'points', 'pathlength',
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin',
  'stroke-miterlimit', 'stroke-dasharray', 'stroke-dashoffset', 'stroke-opacity', 'opacity', 'color',
  'display', 'visibility', 'overflow', 'clip-path', 'clip-rule', 'mask', 'marker-start', 'marker-mid',
  'marker-end', 'markerwidth', 'markerheight', 'markerunits', 'refx', 'refy', 'orient',
  'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant', 'font-stretch', 'text-anchor',
  'dominant-baseline', 'alignment-baseline', 'baseline-shift', 'letter-spacing', 'word-spacing',
  'text-decoration', 'writing-mode', 'direction', 'unicode-bidi', 'dx', 'dy', 'rotate', 'textlength',
  'lengthadjust', 'startoffset', 'method', 'spacing', 'side', 'offset', 'stop-color', 'stop-opacity',
  'gradientunits', 'gradienttransform', 'spreadmethod', 'patternunits', 'patterncontentunits',
  'patterntransform', 'clippathunits', 'maskunits', 'maskcontentunits', 'filter', 'filterunits',
  'primitiveunits', 'in', 'in2', 'result', 'stddeviation', 'mode', 'operator', 'k1', 'k2', 'k3', 'k4',
  'values', 'type', 'tablevalues', 'slope', 'intercept', 'amplitude', 'exponent', 'order', 'kernelmatrix',
  'divisor', 'bias', 'targetx', 'targety', 'edgemode', 'kernelunitlength', 'preservealpha',
  'surfacescale', 'diffuseconstant', 'specularconstant', 'specularexponent', 'lighting-color',
  'flood-color', 'flood-opacity', 'scale', 'xchannelselector', 'ychannelselector', 'radius',
  'basefrequency', 'numoctaves', 'seed', 'stitchtiles', 'azimuth', 'elevation', 'z', 'pointsatx',
  'pointsaty', 'pointsatz', 'limitingconeangle', 'vector-effect', 'shape-rendering', 'text-rendering',
  'image-rendering', 'color-interpolation', 'color-interpolation-filters', 'paint-order',
  'mix-blend-mode', 'isolation', 'xml:space', 'xml:lang', 'lang', 'role', 'aria-label', 'aria-hidden',
  'focusable', 'href', 'xlink:href', 'xmlns', 'xmlns:xlink',
]);

const HREF_ATTRIBUTES = new Set(['href', 'xlink:href']);

/**
 * sanitizeSvg returns an SVG document that keeps only allowlisted elements and attributes: no
 * script, foreignObject, images, animation or event handler, references only to `#fragments`
 * (href, xlink:href, `url(#…)`), and no CSS with an external `url()`, `expression`, `@import` or
 * escapes. It returns undefined when the text cannot be made safe: no `<svg>` root, or a doctype
 * declaring entities (entity expansion attacks, and a result that would not parse without them).
 *
 * @example
 * sanitizeSvg('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1"/></svg>')
 * // '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>'
 */
export function sanitizeSvg(text: string): string | undefined {
  if (/<!ENTITY/i.test(text)) return undefined;
  const document = parseDocument(text.replace(/^\uFEFF/, ''), { xmlMode: true });
  const root = document.children.find(isTag);
  if (root === undefined || root.name !== 'svg') return undefined;
  const clean = sanitizeElement(root);
  if (clean === undefined) return undefined;
  const namespaces: Record<string, string> = { xmlns: SVG_NAMESPACE };
  if (usesXlink(clean)) namespaces['xmlns:xlink'] = XLINK_NAMESPACE;
  clean.attribs = { ...namespaces, ...clean.attribs };
  return render(clean, { xmlMode: true, encodeEntities: 'utf8' });
}

function sanitizeElement(element: Element): Element | undefined {
  if (!SVG_ELEMENTS.has(element.name)) return undefined;
  if (element.name === 'style') return sanitizeStyleElement(element);
  const attribs: Record<string, string> = {};
  for (const [name, value] of Object.entries(element.attribs)) {
    const lower = name.toLowerCase();
    if (!SVG_ATTRIBUTES.has(lower)) continue;
    if (HREF_ATTRIBUTES.has(lower)) {
      if (/^#[^\s"'<>()]*$/.test(value.trim())) attribs[name] = value.trim();
      continue;
    }
    if (lower === 'xmlns' || lower === 'xmlns:xlink') continue;
    if (!isSafeCss(value)) continue;
    attribs[name] = value;
  }
  const children: ChildNode[] = [];
  for (const child of element.children) {
    if (isTag(child)) {
      const kept = sanitizeElement(child);
      if (kept !== undefined) children.push(kept);
    } else if (isText(child)) {
      children.push(new Text(child.data));
    }
  }
  return link(new Element(element.name, attribs, children));
}

/** sanitizeStyleElement keeps a style sheet only when all of it is safe; CDATA sections become plain text. */
function sanitizeStyleElement(element: Element): Element | undefined {
  let css = '';
  for (const child of element.children) {
    if (isText(child)) css += child.data;
    else if (isCDATA(child)) css += child.children.map((node) => (isText(node) ? node.data : '')).join('');
    else return undefined;
  }
  if (!isSafeCss(css)) return undefined;
  return link(new Element('style', {}, [new Text(css)]));
}

/**
 * isSafeCss refuses everything that can fetch or run something from CSS or a presentation
 * attribute. Backslash escapes are refused outright rather than decoded, since `u\72l(` and
 * friends exist only to slip past filters like this one.
 */
function isSafeCss(value: string): boolean {
  const css = value.replace(/\/\*[\s\S]*?\*\//g, '').toLowerCase();
  if (/[\\]|expression|javascript:|vbscript:|@import|behavior|-moz-binding|<|&#/.test(css)) return false;
  const urls = css.match(/url\s*\(\s*['"]?[^'")]*/g) ?? [];
  return urls.every((url) => /^url\s*\(\s*['"]?#/.test(url));
}

function usesXlink(element: Element): boolean {
  if ('xlink:href' in element.attribs) return true;
  return element.children.some((child) => isTag(child) && usesXlink(child));
}

function link(element: Element): Element {
  let previous: ChildNode | null = null;
  for (const child of element.children) {
    child.parent = element;
    child.prev = previous;
    child.next = null;
    if (previous !== null) previous.next = child;
    previous = child;
  }
  return element;
}
