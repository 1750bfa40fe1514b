"""Load pages in the browser and say what ran, what could run, and what the policy refused.

The XSS sweep runs with the Content Security Policy bypassed, so that a payload that slipped past
escaping would really run (open a dialog or set window.__xss); and it reads every page as served,
element by element, for what could run later (an event handler, a javascript: link, a frame) or
restyle the page from content (a style attribute or element). With the policy on, the same tab
also records every violation the browser reports.
"""

from dataclasses import dataclass, field

# django-simple-history's admin history list has <p class="paginator" style="border-top: 0">;
# the policy allows that one attribute by its hash.
ALLOWED_STYLE_ATTRIBUTES = ["border-top: 0"]

# Reads the served HTML with the browser's own parser (no script runs in a parsed document), and
# the live page. Our scripts come from /static/ (the admin's translations from /admin/jsi18n/);
# the admin's icons are inline SVG that only <use> symbols of the same page.
_AUDIT = """
([html, origin, allowedStyles]) => {
  const problems = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "background", "poster", "codebase", "cite", "srcset", "ping", "lowsrc", "dynsrc",
    "values", "to", "from", "by"]);
  const badScheme = /^(javascript|data|vbscript):/;
  const forbidden = new Set(["IFRAME", "FRAME", "FRAMESET", "OBJECT", "EMBED", "APPLET", "BASE",
    "STYLE", "AUDIO", "VIDEO", "SOURCE", "PORTAL", "MARQUEE", "TEMPLATE"]);
  const iconParts = new Set(["svg", "use", "symbol", "path"]);
  const ours = (url) => {
    const parsed = new URL(url, origin);
    return parsed.origin === origin &&
      (parsed.pathname.startsWith("/static/") || parsed.pathname === "/admin/jsi18n/");
  };
  const show = (el) => el.outerHTML.slice(0, 160);
  const audit = (root, where, withStyle) => {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.tagName.toUpperCase();
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        // Browsers skip white space and control characters in a scheme: so does this check.
        const value = attr.value.replace(/[\\u0000-\\u0020\\u007f-\\u00a0]/g, "").toLowerCase();
        if (name.startsWith("on")) problems.push(`${where}: event handler ${name}: ${show(el)}`);
        if (urlAttributes.has(name) && badScheme.test(value))
          problems.push(`${where}: ${name}=${attr.value}: ${show(el)}`);
        if (name === "srcdoc") problems.push(`${where}: srcdoc: ${show(el)}`);
        if (name === "style" && withStyle && !allowedStyles.includes(attr.value))
          problems.push(`${where}: style attribute: ${show(el)}`);
      }
      if (el.namespaceURI !== "http://www.w3.org/1999/xhtml") {
        const href = el.getAttribute("href") || el.getAttribute("xlink:href") || "#";
        if (!iconParts.has(el.localName) || !href.startsWith("#"))
          problems.push(`${where}: foreign element ${el.tagName}: ${show(el)}`);
      }
      if (forbidden.has(tag)) problems.push(`${where}: element ${tag}: ${show(el)}`);
      if (tag === "SCRIPT" && !(el.getAttribute("src") && ours(el.getAttribute("src"))))
        problems.push(`${where}: script not ours: ${show(el)}`);
      // A page's own Atom feed, announced in its head, is ours too: same origin, .atom.
      const feed = (link) => link.getAttribute("rel") === "alternate" &&
        new URL(link.getAttribute("href") || "", origin).origin === origin &&
        new URL(link.getAttribute("href") || "", origin).pathname.endsWith(".atom");
      if (tag === "LINK" && !ours(el.getAttribute("href") || "") && !feed(el))
        problems.push(`${where}: link not ours: ${show(el)}`);
      if (tag === "IMG" && !ours(el.getAttribute("src") || ""))
        problems.push(`${where}: image not ours: ${show(el)}`);
      if (tag === "META" && el.hasAttribute("http-equiv"))
        problems.push(`${where}: meta http-equiv: ${show(el)}`);
    }
  };
  if (html !== null) audit(new DOMParser().parseFromString(html, "text/html"), "served", true);
  // Scripts may set styles through the CSSOM (the admin's do): only markup is checked for them.
  audit(document, "live", false);
  return problems;
}
"""

# What a reader can see or edit: text, field values, tooltips; white space folded.
_SHOWN = """
() => {
  const parts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll("input, textarea")) parts.push(el.value);
  for (const el of document.querySelectorAll("[title]")) parts.push(el.getAttribute("title"));
  return parts.join(" ");
}
"""

# Runs before any script of each page (and is not subject to its policy): note violations.
_WATCH_POLICY = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def folded(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass
class Sweep:
    """Loads pages in one browser tab and collects what ran, what could run, what was refused."""

    page: object
    base_url: str
    dialogs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    loads: int = 0

    def __post_init__(self):
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.add_init_script(_WATCH_POLICY)

    def _dialog(self, dialog):
        # Leaving a form with unsaved text asks first (editor.js): that one is ours.
        if dialog.type == "beforeunload":
            dialog.accept()
            return
        self.dialogs.append(f"{dialog.type} {dialog.message!r} on {self.page.url}")
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text or message.text.startswith("Refused to"):
            self.violations.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str, *, shows=(), status: int = 200) -> None:
        """Load path and audit it; each value of `shows` must be on the page as text."""
        response = self.page.goto(self.base_url + path)
        self.loads += 1
        assert response.status == status, f"{path}: HTTP {response.status}"
        self.check(response.text(), where=path, shows=shows)

    def check(self, html: str | None, *, where: str, shows=()) -> None:
        """Audit the page now open (html: as served, when known)."""
        if self.page.evaluate("() => window.__xss") is not None:
            self.problems.append(f"{where}: window.__xss was set")
        found = self.page.evaluate(_AUDIT, [html, self.base_url, ALLOWED_STYLE_ATTRIBUTES])
        self.problems += [f"{where}: {problem}" for problem in found]
        self.violations += [
            f"{where}: {v}" for v in self.page.evaluate("() => window.__violations || []")
        ]
        if shows:
            text = folded(self.page.evaluate(_SHOWN))
            missing = [value for value in shows if folded(value) not in text]
            assert not missing, f"{where} does not show {missing[:3]} as text"
