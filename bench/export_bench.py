"""The exports of a synthesis: time, CPU and peak memory of each format, in a fresh process.

    .venv/bin/python bench/export_bench.py [--quotations 200] [--sections 12] [--runs 3] [--keep DIR]

Builds a French synthesis like a comité's (the PIAF Wikipedia passages of ../shared/corpora/french
when present, else ``forum.generate`` sentences): sections (h2) of two parts (h3), paragraphs,
--quotations quotations in the forum's HTML shape spread over them (each with its author linked
to its post), a list and a captioned table with header cells per section, 40 sources and the
contributors of nine collèges. With the defaults the PDF is about 30 A4 pages (issue 18 asks a
30-page synthesis with 200 quotations under 10 s and 400 MiB on a 2-core machine).

Each format is rendered --runs times, each time by a new Python process (``--child``) that builds
the document and calls the format's renderer (the function ``forum.syntheses.exports.FORMATS``
names). Printed per format,
as the median of the runs: pages (PDF), wall time of the whole process (start-up and imports
included), the renderer's own wall time, CPU time (user + system, from ``os.wait4``: that child
alone) and its peak resident memory, and the file's size.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
PIAF = os.path.join(ROOT, "..", "shared", "corpora", "french", "passages.jsonl")
SITE = "https://agora.example"
PSEUDONYMS = ["Nadia.M", "Karim", "Claire-IRTS", "Jean-Pierre", "Sophie.CAF", "Lucas", "Mod-13", "Jamel.B",
              "Aïcha", "Hélène.D", "Maëlle", "François-Xavier"]
MODULES = {"pdf": "pdf_export", "odt": "odt_export", "md": "markdown_export", "html": "html_export"}
COLLEGES = ["Personnes accompagnées", "Travailleurs sociaux", "Employeurs", "Formateurs", "Étudiants",
            "Élus", "Institutions", "Associations", "Autres collèges (2)"]


def sentences(rng):
    if os.path.exists(PIAF):
        with open(PIAF, encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle]
    else:
        from forum.devdata.generate import _sentence
        texts = [" ".join(_sentence(rng) for _ in range(5)) for _ in range(400)]
    return [s.strip() + "." for text in texts for s in text.split(". ") if len(s.strip()) > 30]


def quote(rng, pool, post):
    text = rng.choice(pool)[:220]
    return (f'<blockquote class="quote"><p class="quote-source"><cite><a href="/message/{post}">'
            f"{rng.choice(PSEUDONYMS)}</a></cite></p><p>{text}</p></blockquote>")


def body(rng, pool, quotations, sections):
    parts, post = [], 1000
    per_part = [quotations // (sections * 2) + (i < quotations % (sections * 2)) for i in range(sections * 2)]
    for number in range(sections):
        parts.append(f"<h2>Partie {number + 1} : {rng.choice(pool)[:60].rstrip('.')}</h2>")
        parts.append(f"<p>{' '.join(rng.choice(pool) for _ in range(3))}</p>")
        for half in range(2):
            parts.append(f"<h3>{rng.choice(pool)[:70].rstrip('.')}</h3>")
            parts.append(f"<p>{' '.join(rng.choice(pool) for _ in range(2))}</p>")
            for _ in range(per_part[number * 2 + half]):
                post += rng.randint(1, 40)
                parts.append(quote(rng, pool, post))
        parts.append("<ul>" + "".join(f"<li>{rng.choice(pool)[:90]}</li>" for _ in range(4)) + "</ul>")
        parts.append(f"<table><caption>Tableau {number + 1} : actions proposées</caption><thead><tr>"
                     "<th>Action</th><th>Porteur</th><th>Échéance</th></tr></thead><tbody>"
                     + "".join(f"<tr><td>{rng.choice(pool)[:60]}</td><td>{rng.choice(PSEUDONYMS)}</td>"
                               f"<td>{rng.randint(1, 28)} janvier 2027</td></tr>" for _ in range(3))
                     + "</tbody></table>")
    return "\n".join(parts)


def document(quotations, sections):
    from forum.syntheses.document import CollegeCount, ExportDocument, Source
    rng = random.Random(18)
    pool = sentences(rng)
    return ExportDocument(
        title="Accès aux droits et non-recours : ce que disent les comités locaux",
        body_html=body(rng, pool, quotations, sections), space_name="Comité local des Bouches-du-Rhône",
        version=3, status_label="Publiée et transmise au HCTS", dated=datetime(2026, 12, 6, 10, 0),
        url=f"{SITE}/synthese/18", transmitted_at=datetime(2026, 12, 6, 15, 0),
        sources=tuple(Source("topic", f"Sujet : {rng.choice(pool)[:60]}", f"{SITE}/sujet/{n}") for n in range(40)),
        contributors=tuple(CollegeCount(label, rng.randint(5, 30)) for label in COLLEGES),
        named_contributors=tuple(PSEUDONYMS[:8]))


def child(name, quotations, sections, path):
    """In the child process: build, render, write; print the renderer's wall time. Only the
    format's own module is imported (``exports`` imports all four), so memory is that format's."""
    import importlib
    module = importlib.import_module(f"forum.syntheses.{MODULES[name]}")
    doc = document(quotations, sections)
    render = getattr(module, f"to_{name if name != 'md' else 'markdown'}")
    started = time.perf_counter()
    output = render(doc)
    elapsed = time.perf_counter() - started
    with open(path, "wb") as handle:
        handle.write(output if isinstance(output, bytes) else output.encode("utf-8"))
    print(json.dumps({"render": elapsed}))


def measure(name, args, folder):
    path = os.path.join(folder, f"synthese.{name}")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", name, "--quotations", str(args.quotations),
                                "--sections", str(args.sections), "--keep", path],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{name}: the child failed ({process.returncode})")
    return {"wall": wall, "render": json.loads(output)["render"], "cpu": usage.ru_utime + usage.ru_stime,
            "rss": usage.ru_maxrss / 1024, "size": os.path.getsize(path), "path": path}


def pages(path):
    import pypdf
    return len(pypdf.PdfReader(path).pages)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotations", type=int, default=200)
    parser.add_argument("--sections", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="pdf,odt,md,html")
    parser.add_argument("--keep", help="a folder to keep the files in (the child: the file to write)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.quotations, args.sections, args.keep)
    folder = args.keep or tempfile.mkdtemp(prefix="agora-exports-")
    os.makedirs(folder, exist_ok=True)
    print(f"{args.quotations} quotations, {args.sections} sections, median of {args.runs} fresh processes; "
          f"load {os.getloadavg()[0]:.1f}; files in {folder}\n")
    print("| format | pages | wall s (process) | wall s (render) | CPU s | peak RSS MiB | size KiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in args.formats.split(","):
        runs = [measure(name, args, folder) for _ in range(args.runs)]
        median = {key: statistics.median(run[key] for run in runs) for key in ("wall", "render", "cpu", "rss", "size")}
        count = pages(runs[-1]["path"]) if name == "pdf" else "–"
        print(f"| {name} | {count} | {median['wall']:.2f} | {median['render']:.2f} | {median['cpu']:.2f} "
              f"| {median['rss']:.0f} | {median['size'] / 1024:.0f} |", flush=True)
    print(f"\nload after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
