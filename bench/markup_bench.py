"""How fast the writing pipeline renders realistic French posts, and where the time goes.

    .venv/bin/python bench/markup_bench.py [--posts 2000] [--repeat 3]

Posts are built from real French prose (the PIAF Wikipedia passages in ../shared/corpora/french,
when present; the paragraphs of ``forum.generate`` otherwise) with what members write around
it: bold, lists, links, a mention, a hashtag, sometimes a quote, a table or a task list.
Mentions and hashtags are resolved from a dictionary: this measures the pipeline, not the
database. Prints posts per second, milliseconds per post and the share of markdown-it
(parsing, our rules included, and HTML rendering), bleach (sanitizing) and the rest.
"""
import argparse
import json
import os
import random
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from forum.text import markup  # noqa: E402
from forum.text.markup import Document, MemberLink, Resolution  # noqa: E402

PIAF = os.path.join(ROOT, "..", "shared", "corpora", "french", "passages.jsonl")
MEMBERS = ["Nadia.M", "Karim", "Claire-IRTS", "Jean-Pierre", "Sophie.CAF", "Lucas", "Mod-13"]
HASHTAGS = ["logement", "non-recours", "jeunesse", "comite-13", "ethique"]


def paragraphs(rng):
    if os.path.exists(PIAF):
        with open(PIAF, encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle]
        source = "PIAF (French Wikipedia passages)"
    else:
        from forum.devdata.generate import _sentence
        texts = [" ".join(_sentence(rng) for _ in range(4)) for _ in range(500)]
        source = "forum.generate sentences"
    pieces = []
    for text in texts:
        sentences = [s.strip() + "." for s in text.split(". ") if s.strip()]
        pieces.extend(" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3))
    return pieces, source


def compose(rng, pool, number):
    parts = []
    for _ in range(rng.randint(1, 4)):
        text = rng.choice(pool)
        words = text.split()
        if len(words) > 6 and rng.random() < 0.5:
            at = rng.randrange(len(words) - 2)
            words[at] = f"**{words[at]}**"
        parts.append(" ".join(words))
    if rng.random() < 0.5:
        parts.insert(0, f"Merci @{rng.choice(MEMBERS)} pour ce retour sur #{rng.choice(HASHTAGS)}.")
    if rng.random() < 0.3:
        parts.append("\n".join(f"- {rng.choice(pool)[:80]}" for _ in range(rng.randint(2, 5))))
    if rng.random() < 0.25:
        parts.append(f"Voir https://www.service-public.fr/particuliers/vosdroits/F{number} "
                     "et [la fiche de la CAF](https://www.caf.fr/allocataires).")
    if rng.random() < 0.2:
        parts.insert(0, f'[quote="{rng.choice(MEMBERS)}, post:{number}"]\n{rng.choice(pool)}\n[/quote]')
    if rng.random() < 0.05:
        parts.append("| Territoire | Permanences |\n|---|--:|\n| 04 | 3 |\n| 13 | 12 |")
    if rng.random() < 0.05:
        parts.append("- [x] Ordre du jour envoyé\n- [ ] Compte rendu à relire")
    return "\n\n".join(parts)


def resolution():
    return Resolution(
        members={m.casefold(): MemberLink(i, f"/membre/{m}") for i, m in enumerate(MEMBERS, 1)},
        hashtags={h: f"/etiquette/{h}" for h in HASHTAGS},
        posts={})


def run(posts, repeat):
    md = markup.parser()
    resolved = resolution()
    best = None
    for _ in range(repeat):
        t_md = t_bleach = 0.0
        started = time.perf_counter()
        for source in posts:
            t0 = time.perf_counter()
            document = Document(source)
            known = Resolution(members={k: v for k, v in resolved.members.items()
                                        if k in {n.casefold() for n in document.names}},
                               hashtags=resolved.hashtags, posts={p: f"/message/{p}" for p in document.quoted})
            document.env.update(agora_members=known.members, agora_hashtag_urls=known.hashtags,
                                agora_post_urls=known.posts)
            raw = md.renderer.render(document.tokens, md.options, document.env)
            t1 = time.perf_counter()
            markup.sanitize(raw)
            t2 = time.perf_counter()
            t_md += t1 - t0
            t_bleach += t2 - t1
        total = time.perf_counter() - started
        if best is None or total < best[0]:
            best = (total, t_md, t_bleach)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(2026)
    pool, source = paragraphs(rng)
    posts = [compose(rng, pool, n) for n in range(args.posts)]
    # The measured path must be the real one: same HTML as markup.render with the same lookups.
    for source_text in posts[:50]:
        document = Document(source_text)
        assert document.html(resolution()) == markup.render(source_text, lambda d: resolution())
    chars = sum(len(p) for p in posts) / len(posts)
    total, t_md, t_bleach = run(posts, args.repeat)
    rest = total - t_md - t_bleach
    print(f"Writing pipeline: {len(posts)} posts, {chars:.0f} characters on average, text from {source}; "
          f"best of {args.repeat} runs, one process\n")
    print(f"| {'measure':<40} | {'value':>10} |")
    print(f"|{'-' * 42}|{'-' * 12}|")
    print(f"| {'posts rendered per second':<40} | {len(posts) / total:>10.0f} |")
    print(f"| {'ms per post':<40} | {1000 * total / len(posts):>10.3f} |")
    print(f"| {'markdown-it (parse, our rules, render)':<40} | {100 * t_md / total:>9.1f}% |")
    print(f"| {'bleach (sanitize)':<40} | {100 * t_bleach / total:>9.1f}% |")
    print(f"| {'rest (loop, lookups)':<40} | {100 * rest / total:>9.1f}% |")


if __name__ == "__main__":
    main()
