// asc transform (scripts/build-wasm.mjs passes it to the compiler): after compilation, writes
// src/memory/layouts.generated.ts from the compiler's own view of the sources:
//   * every exported unmanaged class of assembly/layouts.ts: its byte offsets and size as the
//     compiler laid them out, a field interface, and a DataView reader and writer;
//   * every exported constant of assembly/layouts.ts;
//   * `KernelExports`, the signatures of the functions assembly/index.ts exports.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'assemblyscript/transform';

// ElementKind values of the compiler (src/program.ts of assemblyscript; its class names are minified).
const GLOBAL = 0, CLASS_PROTOTYPE = 6;
const DATAVIEW = { i8: 'Int8', u8: 'Uint8', i16: 'Int16', u16: 'Uint16', i32: 'Int32', u32: 'Uint32', usize: 'Uint32', isize: 'Int32', f32: 'Float32', f64: 'Float64' };
const NUMERIC = new Set([...Object.keys(DATAVIEW), 'bool']);

/** The TSDoc comment right before `node` in its source, or null. */
function docOf(node) {
  const text = node.range.source.text;
  // Skip what may stand between the comment and the name: decorators and keywords.
  const before = text.slice(0, node.range.start).replace(/(\s|@\w+|\bexport\b|\bconst\b|\bfunction\b)*$/, '');
  if (!before.endsWith('*/')) return null;
  const start = before.lastIndexOf('/**');
  return start < 0 ? null : before.slice(start);
}

/** A doc comment's text on one line (for composing generated comments). */
const flat = (doc) => doc.replace(/^\/\*\*|\*\/$/g, '').split('\n').map((l) => l.replace(/^\s*\* ?/, '').trim()).filter(Boolean).join(' ');

const snake = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

function typeName(node) {
  if (!node) return 'void';
  const name = node.name?.identifier?.text ?? String(node);
  if (name === 'void') return 'void';
  if (!NUMERIC.has(name)) throw new Error(`wasm-layouts: kernel signatures take numbers only, got ${name}`);
  return 'number';
}

function layoutBlock(program, proto) {
  const cls = program.resolver.resolveClass(proto, null);
  if (!cls) throw new Error(`wasm-layouts: cannot resolve ${proto.name}`);
  // Instance fields as the compiler laid them out (Property elements carry the byte offset).
  const fields = [...cls.members.values()].map((m) => m.instance).filter((f) => f && f.memoryOffset >= 0);
  const name = proto.name;
  const doc = flat(docOf(proto.declaration) ?? `/** ${name}. */`);
  const lines = [];
  const offsets = fields.map((f) => `${f.name}: ${f.memoryOffset}`).join(', ');
  lines.push(`/**\n * Byte offsets of the fields of assembly/layouts.ts \`${name}\` and its size in bytes.\n * ${doc}\n * @example\n * \`\`\`ts\n * const second = base + ${snake(name)}.size; // the next ${name} of a table\n * \`\`\`\n */`);
  lines.push(`export const ${snake(name)} = { size: ${cls.nextMemoryOffset}, ${offsets} } as const;`);
  lines.push(`\n/**\n * The fields of an assembly/layouts.ts \`${name}\`.\n * @example\n * \`\`\`ts\n * const d: ${name} = { ${fields.map((f) => `${f.name}: 0`).join(', ')} };\n * \`\`\`\n */`);
  lines.push(`export interface ${name} {`);
  for (const f of fields) {
    const fd = docOf(f.declaration);
    if (fd) lines.push(`  /** ${flat(fd)} */`);
    lines.push(`  ${f.name}: number;`);
  }
  lines.push('}');
  const kind = (f) => {
    const t = f.type.toString();
    const k = DATAVIEW[t];
    if (!k) throw new Error(`wasm-layouts: field ${name}.${f.name} has type ${t}, not a number`);
    return k;
  };
  lines.push(`\n/**\n * Writes a \`${name}\` at byte offset \`at\` of \`view\` (little-endian, as wasm).\n * @example\n * \`\`\`ts\n * write${name}(new DataView(heap.buffer, table), 0, { ${fields.map((f) => `${f.name}: 0`).join(', ')} });\n * \`\`\`\n */`);
  lines.push(`export function write${name}(view: DataView, at: number, v: ${name}): void {`);
  for (const f of fields) lines.push(`  view.set${kind(f)}(at + ${f.memoryOffset}, v.${f.name}, true);`);
  lines.push('}');
  lines.push(`\n/**\n * Reads the \`${name}\` at byte offset \`at\` of \`view\`.\n * @example\n * \`\`\`ts\n * const d = read${name}(new DataView(heap.buffer, table), 0);\n * \`\`\`\n */`);
  lines.push(`export function read${name}(view: DataView, at: number): ${name} {`);
  lines.push(`  return { ${fields.map((f) => `${f.name}: view.get${kind(f)}(at + ${f.memoryOffset}, true)`).join(', ')} };`);
  lines.push('}');
  return lines.join('\n');
}

function constBlock(global) {
  const decl = global.declaration;
  const init = decl.initializer;
  if (init?.value === undefined) throw new Error(`wasm-layouts: constant ${global.name} must be a numeric literal`);
  const value = init.value.toString();
  const doc = flat(docOf(decl) ?? `/** ${global.name}. */`);
  return `/**\n * assembly/layouts.ts \`${global.name}\`: ${doc}\n * @example\n * \`\`\`ts\n * const v = ${global.name};\n * \`\`\`\n */\nexport const ${global.name} = ${value};`;
}

function kernelsBlock(file) {
  const lines = [
    '/**',
    ' * The raw exports of assembly/index.ts, each a kernel taking byte addresses into the imported memory.',
    ' * @example',
    ' * ```ts',
    ' * defaultHeap().kernels.anyNaN(ptr, count);',
    ' * ```',
    ' */',
    'export interface KernelExports {',
  ];
  const names = [...file.exports.keys()].sort();
  for (const name of names) {
    let el = file.exports.get(name);
    const decl = el.declaration;
    if (!decl?.signature) continue; // not a function
    const doc = docOf(decl);
    const where = decl.range.source.normalizedPath.replace(/^~lib\//, '');
    lines.push(`  /** ${doc ? `${flat(doc)} ` : ''}(${where}) */`);
    const params = decl.signature.parameters.map((p) => `${p.name.text}: ${typeName(p.type)}`).join(', ');
    lines.push(`  ${name}(${params}): ${typeName(decl.signature.returnType)};`);
  }
  lines.push('}');
  return lines.join('\n');
}

export default class WasmLayouts extends Transform {
  afterInitialize(program) {
    const layouts = program.filesByName.get('assembly/layouts');
    const index = program.filesByName.get('assembly/index');
    if (!layouts || !index) throw new Error('wasm-layouts: assembly/layouts.ts and assembly/index.ts must be compiled');
    const blocks = [];
    for (const el of layouts.exports.values()) {
      if (el.kind === CLASS_PROTOTYPE) blocks.push(layoutBlock(program, el));
      else if (el.kind === GLOBAL) blocks.push(constBlock(el));
    }
    blocks.push(kernelsBlock(index));
    const out = `// Generated by scripts/wasm-layouts.mjs from assembly/layouts.ts and assembly/index.ts. Do not edit.\n\n${blocks.join('\n\n')}\n`;
    const target = join(this.baseDir, 'src', 'memory', 'layouts.generated.ts');
    // Written only when it changed, and atomically (tests may import it while a build runs).
    if (!existsSync(target) || readFileSync(target, 'utf8') !== out) {
      writeFileSync(`${target}.${process.pid}.tmp`, out);
      renameSync(`${target}.${process.pid}.tmp`, target);
    }
  }
}
