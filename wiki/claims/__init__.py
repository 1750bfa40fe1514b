"""Claims: the facts an entry states beside its body (born, founded, place…), each from a cited
source, ranked, several per field when sources disagree. values holds the rules (pure), saving
the writes, reading what a page shows of them."""
