"""A small browser for the benchmarks that act as people: cookies, forms, CSRF, no JavaScript.

It speaks plain HTTP to a server on this machine (127.0.0.1) and nothing else, follows no
redirect by itself, and reads a page's forms as a browser would submit them: text fields and
hidden fields with their values, checked boxes only, a textarea's text, a select's chosen option.
"""

import http.client
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
TIMEOUT = 60  # seconds: a request queued behind busy workers still answers


@dataclass
class Response:
    """What one request got back."""

    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        """Where a redirect points, as a path on the same server."""
        return urlsplit(self.headers.get("location", "")).path or ""


@dataclass
class Form:
    """A form as the browser would post it: its fields in order (a name may repeat)."""

    attrs: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        return next((value for key, value in self.fields if key == name), default)

    def names(self) -> set[str]:
        return {key for key, _ in self.fields}

    def data(self, **changes) -> list[tuple[str, str]]:
        """The fields with some values replaced (or added); None removes a field."""
        posted = [(key, changes.get(key, value)) for key, value in self.fields]
        posted += [(key, value) for key, value in changes.items() if key not in self.names()]
        return [(key, value) for key, value in posted if value is not None]


class _FormReader(HTMLParser):
    """Every <form> of a page with its successful controls (HTML's "form data set")."""

    _TEXT_INPUTS = {"text", "hidden", "number", "date", "url", "email", "search", "password", ""}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, list[tuple[str, bool]], bool] | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs:
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = (attrs["name"], [])
        elif tag == "select" and attrs.get("name"):
            self._select = (attrs["name"], [], "multiple" in attrs)
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, []]
            self._select[1].append(self._option)

    def _input(self, attrs):
        kind, name = attrs.get("type", "").lower(), attrs.get("name")
        if not name:
            return
        if kind in self._TEXT_INPUTS:
            self._form.fields.append((name, attrs.get("value", "")))
        elif kind in {"checkbox", "radio"} and "checked" in attrs:
            self._form.fields.append((name, attrs.get("value", "on")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            # HTML drops one newline right after <textarea>; Django writes one there.
            self._form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._select_done()

    def _select_done(self):
        name, options, multiple = self._select
        values = [(o[0] if o[0] is not None else "".join(o[2]).strip(), o[1]) for o in options]
        chosen = [value for value, selected in values if selected]
        if not chosen and not multiple and values:
            chosen = [values[0][0]]
        self._form.fields += [(name, value) for value in chosen]
        self._select = None


def forms_of(html: str) -> list[Form]:
    """The forms of a page, in order."""
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    return reader.forms


def form_with(html: str, field_name: str) -> Form | None:
    """The first form of a page that has a field of this name."""
    return next((form for form in forms_of(html) if field_name in form.names()), None)


_MESSAGE = re.compile(r'<li[^>]*class="[^"]*message[^"]*"[^>]*>(.*?)</li>', re.DOTALL)


def messages_of(html: str) -> list[str]:
    """The text of the flash messages a page shows."""
    return [" ".join(re.sub(r"<[^>]+>", " ", found).split()) for found in _MESSAGE.findall(html)]


class Browser:
    """One person's browser: a session cookie jar against one local server."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None):
        parts = urlsplit(base_url)
        if parts.hostname not in LOCAL_HOSTS:
            raise ValueError(f"{base_url}: this browser only talks to a server on this machine.")
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, method: str, path: str, data=None) -> Response:
        """One request; the cookies it sets are kept."""
        headers = {"Host": f"{self.host}:{self.port}", "Referer": self._origin() + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", "replace")
            received = answer.headers.get_all("Set-Cookie") or []
            response = Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, text)
        finally:
            connection.close()
        for cookie in received:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or not value or value == '""':
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data) -> Response:
        """POST form data; the CSRF token the server gave this browser goes with it."""
        data = list(data.items()) if isinstance(data, dict) else list(data)
        if not any(key == "csrfmiddlewaretoken" for key, _ in data):
            if "csrftoken" not in self.cookies:
                self.get("/accounts/login/")
            data.append(("csrfmiddlewaretoken", self.cookies.get("csrftoken", "")))
        return self.request("POST", path, data)

    def follow(self, response: Response) -> Response:
        """The page a redirect leads to (its messages are read and cleared there)."""
        return self.get(response.location) if response.status in (301, 302, 303) else response

    def login(self, username: str, password: str) -> None:
        """Log in through the login form, as a person does."""
        form = form_with(self.get("/accounts/login/").text, "username")
        answer = self.post("/accounts/login/", form.data(username=username, password=password))
        if answer.status != 302:
            raise RuntimeError(f"{username} could not log in ({answer.status}).")

    def _origin(self) -> str:
        return f"http://{self.host}:{self.port}"
