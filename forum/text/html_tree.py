"""The tree the sanitizer parses a text into: html5lib's ElementTree builder, with one fix.

html5lib (vendored by bleach) "foster-parents" what is misplaced in a table (``<table>x<b>y</b>``:
the ``<b>`` goes before the table, as browsers do), through ``insertBefore``. Its ElementTree
builder puts the moved element into the underlying tree but not into the builder's own list of
children, and a fragment (all bleach parses) is read from that list: the moved element, its
text and everything written after it in the same place vanished from the stored HTML, while the
source kept them (``<math><mtext><table><mglyph><style>…``: the escaped tags are text, the
``<img>`` after them was moved out of the table and the rest of the post went with it). The
same list is used when html5lib re-nests misnested formatting tags, hence the fix at the root.
"""
from bleach import html5lib_shim
from bleach._vendor.html5lib import treebuilders

_ElementTreeBuilder = treebuilders.getTreeBuilder("etree")


class _Element(_ElementTreeBuilder.elementClass):
    def insertBefore(self, node, refNode):
        super().insertBefore(node, refNode)
        self._childNodes.insert(self._childNodes.index(refNode), node)


class _TreeBuilder(_ElementTreeBuilder):
    elementClass = _Element


def fix_parser(cleaner):
    """Give ``cleaner`` (a bleach.Cleaner) a parser building its trees with the fixed builder."""
    cleaner.parser = html5lib_shim.BleachHTMLParser(
        tags=cleaner.tags, strip=cleaner.strip, consume_entities=False,
        namespaceHTMLElements=False, tree=_TreeBuilder)
    return cleaner
