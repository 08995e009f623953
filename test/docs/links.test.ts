import fs from 'node:fs';
import path from 'node:path';
import { anchorsOf, brokenLink, linksOf, npmScriptsOf, slug } from './markdown';

const ROOT = path.join(__dirname, '../..');
const DOCS = path.join(ROOT, 'docs');

/** README.md and every page in docs/. */
function documentation(): { file: string; text: string }[] {
  const files = [path.join(ROOT, 'README.md'), ...fs.readdirSync(DOCS).filter((n) => n.endsWith('.md')).sort().map((n) => path.join(DOCS, n))];
  return files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}
const shown = (file: string) => path.relative(ROOT, file);

describe('the documentation', () => {
  test('README.md and docs/ exist, and the README links to every page in docs/', () => {
    const pages = fs.readdirSync(DOCS).filter((n) => n.endsWith('.md'));
    expect(pages.length).toBeGreaterThan(0);
    const readme = linksOf(path.join(ROOT, 'README.md'), fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).map((l) => l.target.split('#')[0]);
    expect(pages.filter((p) => !readme.includes(`docs/${p}`))).toEqual([]);
  });

  test('every relative link leads to a file that exists, and every #anchor into a Markdown file to one of its headings', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const { file, text } of documentation()) {
      for (const link of linksOf(file, text)) {
        checked++;
        const why = brokenLink(link);
        if (why) broken.push(`${shown(file)}:${link.line}: (${link.target}) ${why}`);
      }
    }
    expect(broken).toEqual([]);
    // The check has something to check: the README's "where to read on" alone has a dozen links.
    expect(checked).toBeGreaterThan(20);
  });

  test('every npm script the documentation names is in package.json', () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts);
    const missing: string[] = [];
    let named = 0;
    for (const { file, text } of documentation()) {
      for (const { script, line } of npmScriptsOf(text)) {
        named++;
        if (!scripts.includes(script)) missing.push(`${shown(file)}:${line}: npm run ${script}`);
      }
    }
    expect(missing).toEqual([]);
    expect(named).toBeGreaterThan(10);
  });

  test('the README keeps the two commands a newcomer and CI run', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('\nnpm ci && npm run demo\n');
    expect(readme).toContain('\nbash scripts/ci-deps.sh && npm ci && npm test\n');
    const ci = fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/bash scripts\/ci-deps\.sh\nnpm ci\b.*\nnpm test\n/);
  });

  test('the architecture page keeps the map of src/ and says where a new capability goes', () => {
    const text = fs.readFileSync(path.join(DOCS, 'architecture.md'), 'utf8');
    for (const folder of fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      expect(text).toContain(`  ${folder.name}/`);
    }
    expect(text).toMatch(/new capability, such as `queue\/`, `reception\/`[^.]*`identity\/`[^.]*gets its own folder/);
  });
});

describe('the documentation check itself', () => {
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'callpath-docs-'));
  const page = path.join(dir, 'page.md');
  fs.writeFileSync(page, '# A page\n\n## Storage and scaling\n\n## Past one machine: `DATA_DIR`\n\n## Past one machine: `DATA_DIR`\n');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('headings get GitHub’s anchors', () => {
    expect(slug('Pointing a Twilio number at it')).toBe('pointing-a-twilio-number-at-it');
    expect(slug('Before SQLite: the reasoning')).toBe('before-sqlite-the-reasoning');
    expect(slug('The map of `src/`')).toBe('the-map-of-src');
    expect(slug('**Just nu** och flöden')).toBe('just-nu-och-flöden');
    expect([...anchorsOf(fs.readFileSync(page, 'utf8'))]).toEqual(['a-page', 'storage-and-scaling', 'past-one-machine-data_dir', 'past-one-machine-data_dir-1']);
  });

  test('a missing file, a missing heading and a link in code are told apart from good links', () => {
    const text = [
      '[ok](page.md) [ok too](page.md#storage-and-scaling) [here](#a-page) ![img](page.md)',
      '[gone](missing.md) [bad anchor](page.md#storage) [web](https://example.com/x.md)',
      '`[not a link](nowhere.md)`',
      '```',
      '[not a link either](nowhere.md)',
      '```',
      '[ref]: page.md#past-one-machine-data_dir-1',
    ].join('\n');
    const links = linksOf(page, text);
    expect(links.map((l) => l.target)).toEqual(['page.md', 'page.md#storage-and-scaling', '#a-page', 'page.md', 'missing.md', 'page.md#storage', 'https://example.com/x.md', 'page.md#past-one-machine-data_dir-1']);
    expect(links.map((l) => brokenLink(l))).toEqual([null, null, null, null, 'missing.md does not exist', 'no heading #storage in page.md', null, null]);
  });

  test('npm scripts are found in every form a reader types them', () => {
    const text = 'npm ci && npm run demo\n`npm run -s flow:lint -- x.yaml`, npm run bench -- --quick; npm test; the `npm run` scripts';
    expect(npmScriptsOf(text).map((s) => s.script)).toEqual(['demo', 'flow:lint', 'bench', 'test']);
  });
});
