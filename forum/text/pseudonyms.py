"""What a pseudonym is: the rule registration checks and mentions recognise, and the key two
pseudonyms are compared by (one place, so that a mention finds exactly whom registration let in)."""
import re
import unicodedata

# 3 to 30 word characters, dots and hyphens, starting and ending with a letter or digit.
PSEUDONYM = r"[^\W_][\w.\-]{1,28}[^\W_]"
PSEUDONYM_PATTERN = re.compile(rf"^{PSEUDONYM}$")


def pseudonym_key(pseudonym):
    return unicodedata.normalize("NFKC", pseudonym).casefold()
