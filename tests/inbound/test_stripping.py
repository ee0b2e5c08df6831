"""Quotes and signatures stripped: the 64 real replies of Discourse's email_reply_trimmer
(../shared/corpora/email-replies, MIT: LICENSES/email_reply_trimmer.MIT.txt) and French
replies as our members' mail clients write them."""
import os
import re
import time

import pytest

from forum.inbound.stripping import strip

from ..conftest import shared_path

ATTRIBUTION = "Agora <ne-pas-repondre@agora.localhost>"
QUOTED = "> Bob vous a répondu dans « Le secret partagé »\n> Le secret partagé doit rester l'exception.\n"


def normal(text):
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def test_the_corpus_is_stripped_correctly_at_least_95_percent_of_the_time():
    folder = shared_path("corpora", "email-replies")
    names = sorted(os.listdir(os.path.join(folder, "emails")))
    assert len(names) == 64
    wrong = []
    for name in names:
        with open(os.path.join(folder, "emails", name), encoding="utf-8") as handle:
            source = handle.read()
        with open(os.path.join(folder, "trimmed", name), encoding="utf-8") as handle:
            expected = handle.read()
        if normal(strip(source)) != normal(expected):
            wrong.append(name)
    share = (len(names) - len(wrong)) / len(names)
    print(f"\nemail_reply_trimmer corpus: {len(names) - len(wrong)}/{len(names)} stripped correctly "
          f"({share:.1%}); wrong: {', '.join(wrong)}")
    assert share >= 0.95, wrong


FRENCH = {
    "gmail_fr": f"D'accord avec toi.\n\nLe lun. 7 déc. 2026 à 10:00, {ATTRIBUTION} a écrit :\n\n{QUOTED}",
    "gmail_fr_wrapped": f"D'accord avec toi.\n\nLe lun. 7 déc. 2026 à 10:00, Agora <\nne-pas-repondre@agora.localhost> "
                        f"a écrit :\n\n{QUOTED}",
    "gmail_fr_wrapped_2": f"D'accord avec toi.\n\nLe lun. 7 déc. 2026 à 10:00, {ATTRIBUTION} a\nécrit :\n\n{QUOTED}",
    "thunderbird_fr": f"D'accord avec toi.\n\nLe 07/12/2026 à 10:00, Agora a écrit :\n{QUOTED}",
    "outlook_fr": "D'accord avec toi.\n\n________________________________\nDe : Agora <ne-pas-repondre@agora.localhost>\n"
                  "Envoyé : lundi 7 décembre 2026 10:00\nÀ : Alice <alice@example.fr>\nObjet : [Agora] Bob vous a répondu\n\n"
                  "Bob vous a répondu dans « Le secret partagé »",
    "outlook_fr_no_line": "D'accord avec toi.\n\nDe : Agora <ne-pas-repondre@agora.localhost>\n"
                          "Envoyé : lundi 7 décembre 2026 10:00\nÀ : Alice <alice@example.fr>\n"
                          "Objet : [Agora] Bob vous a répondu\n\nBob vous a répondu dans « Le secret partagé »",
    "outlook_msg_origine": "D'accord avec toi.\n\n-----Message d'origine-----\nDe : Agora\nEnvoyé : lundi 7 décembre 2026\n"
                           "Objet : [Agora]\n\nBob vous a répondu",
    "iphone_fr": f"D'accord avec toi.\n\nEnvoyé de mon iPhone\n\n> Le 7 déc. 2026 à 10:00, {ATTRIBUTION} a écrit :\n{QUOTED}",
    "samsung_fr": "D'accord avec toi.\n\n\nEnvoyé depuis mon appareil Galaxy\n\n\n-------- Message d'origine --------\n"
                  "De : Agora\nDate : 07/12/2026 10:00 (GMT+01:00)\nÀ : alice@example.fr\nObjet : [Agora]\n\nBob vous a répondu",
    "yahoo_fr": f"D'accord avec toi.\n\nEnvoyé depuis Yahoo Mail pour Android\n\nLe lun., déc. 7, 2026 à 10:00, Agora\n"
                f"<ne-pas-repondre@agora.localhost> a écrit :\n{QUOTED}",
    "sig_dashdash_fr": f"D'accord avec toi.\n\n-- \nAlice Martin\nÉducatrice spécialisée\n\n{QUOTED}",
    "outlook_mobile_fr": "D'accord avec toi.\n\nObtenir Outlook pour Android\n________________________________\n"
                         "De : Agora\nEnvoyé : lundi 7 décembre 2026 10:00\nÀ : Alice\nObjet : [Agora]\n\nBob",
    "transfere_fr": "D'accord avec toi.\n\n---------- Message transféré ---------\nDe : Agora\nDate: lun. 7 déc. 2026\n"
                    "Objet : [Agora]\n\nBob vous a répondu",
}


@pytest.mark.parametrize("name", sorted(FRENCH))
def test_french_clients(name):
    assert strip(FRENCH[name]) == "D'accord avec toi."


def test_what_the_member_wrote_stays_whole():
    text = ("Trois points :\n- le secret partagé ;\n- l'accord de la personne ;\n- la trace écrite.\n\n"
            "Le projet est bon. Le reste suit.\n\n> cité")
    assert strip(text) == text.rsplit("\n\n", 1)[0]
    assert strip("Oui.\n\nLe 7 déc., elle a dit non.") == "Oui.\n\nLe 7 déc., elle a dit non."


def test_hostile_texts_are_stripped_in_linear_time():
    """Each took from 3 s to minutes before the long-line and library limits (a sender could
    stall the receiver): generous bound, the machine may be busy."""
    hostile = ["On " * 33000, "2016 " + "<a@b.c>" * 14000, "x wrote on " + "y " * 50000,
               ("a@b wrote on " * 20 + "\n") * 400, "Le x a\n" * 14000, "> On\n" * 20000]
    started = time.perf_counter()
    for text in hostile:
        strip(text)
    assert time.perf_counter() - started < 15
