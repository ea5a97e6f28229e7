import { execFileSync } from "node:child_process";

/** Every entry the manifest lists is in the archive with that size and sha256 (read by Python's zipfile). */
export function verifyManifestWithPython(file: string) {
  const script = [
    "import sys, zipfile, hashlib, json",
    "z = zipfile.ZipFile(sys.argv[1])",
    "name = next(n for n in z.namelist() if n.endswith('/manifest.json'))",
    "manifest = json.loads(z.read(name))",
    "for entry in manifest['entries']:",
    "    h = hashlib.sha256()",
    "    with z.open(entry['path']) as f:",
    "        for chunk in iter(lambda: f.read(1 << 20), b''): h.update(chunk)",
    "    assert h.hexdigest() == entry['sha256'], entry['path']",
    "    assert z.getinfo(entry['path']).file_size == entry['size'], entry['path']",
    "assert len(manifest['entries']) + 1 == len(z.namelist())",
  ].join("\n");
  execFileSync("python3", ["-c", script, file]);
}
