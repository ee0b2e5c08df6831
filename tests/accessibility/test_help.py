"""The "Lecture facile" help page: reachable from every page, in plain French."""
import re

from ..helpers import text


def test_the_help_page_is_linked_from_the_header_and_footer_of_every_page(client, site):
    for path in ("/", f"/sujet/{site.topic.id}", "/connexion", "/reglement"):
        page = text(client.get(path))
        header = page.split('<header class="site-header">')[1].split("</header>")[0]
        footer = page.split('<footer class="site-footer">')[1].split("</footer>")[0]
        assert 'href="/aide"' in header and 'href="/aide">Lecture facile et aide<' in footer


def test_the_help_page_speaks_plain_french(client):
    response = client.get("/aide")
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="fr">' in page
    main = page.split('<main id="contenu" tabindex="-1">')[1].split("</main>")[0]
    for heading in ("Lire", "Répondre et écrire", "Signaler un message", "Obtenir de l'aide"):
        assert f">{heading}</h2>" in main
    # Outside the formatting reference (for those who want it), sentences are short.
    plain = main.split('<section aria-labelledby="mise-en-forme">')[0] + main.split("</section>")[-2]
    words = re.sub(r"<[^>]+>", " ", re.sub(r"</?(p|li|h1|h2|ul|nav|section)\b[^>]*>", "\n", plain))
    sentences = [s.split() for s in re.split(r"[.?!:]\s|\n", words) if s.split()]
    assert len(sentences) > 20
    assert max(len(s) for s in sentences) <= 16, max(sentences, key=len)
    assert sum(len(s) for s in sentences) / len(sentences) < 10
