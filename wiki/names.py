"""Names as people type them: one normal form so that any spelling variant finds its entry."""

from sources.common.folding import name_form


def normalise(name: str) -> str:
    """The key a name is stored and looked up under (Name.normalised): "Mas’ud" → "masud".

    Case-, accent- and apostrophe-insensitive; punctuation and spaces fold to one space
    (sources.common.folding.name_form, which search folds its words with too).
    """
    return name_form(name)


def names_of(title: str, aliases: list[str]) -> list[tuple[str, bool]]:
    """The title and each distinct alias, as (name, is_title); duplicates of one form dropped."""
    seen, names = set(), []
    for name, is_title in [(title, True), *((alias, False) for alias in aliases)]:
        key = normalise(name)
        if key and key not in seen:
            seen.add(key)
            names.append((name.strip(), is_title))
    return names
