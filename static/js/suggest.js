/* Attest search box: titles to go straight to while typing (the ARIA 1.2 combobox pattern).
   Enhances each <input data-suggest-url> inside a plain GET form; without this script the
   form still submits to the search page, and Enter does so here too unless a suggestion
   is chosen. Down/Up move through the suggestions, Enter opens the chosen page, Escape
   closes the list (and clears the box when the list is already closed). */
(function () {
  "use strict";

  var DELAY = 150; // ms after the last keystroke before asking the server
  var MIN_LENGTH = 2;

  function enhance(input) {
    var url = input.getAttribute("data-suggest-url");
    var form = input.form;
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var results = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var cache = {};

    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Pages");
    list.hidden = true;
    status.className = "visually-hidden";
    // A live region, not role=status: the page's own messages are its status.
    status.setAttribute("aria-live", "polite");
    form.classList.add("suggest");
    input.insertAdjacentElement("afterend", list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function optionId(index) {
      return input.id + "-suggestion-" + index;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      select(-1);
    }

    function open() {
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function select(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", optionId(index));
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      window.location.assign(results[index].url);
    }

    function span(className, text) {
      var element = document.createElement("span");
      element.className = className;
      element.textContent = text;
      return element;
    }

    function option(result, index) {
      var item = document.createElement("li");
      item.id = optionId(index);
      item.className = "suggest-option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.appendChild(span("suggest-option__title", result.title));
      var meta = result.kind;
      if (result.alias) {
        meta += " · also “" + result.alias + "”";
      }
      if (result.published === false) {
        meta += " · draft";
      }
      item.appendChild(span("suggest-option__meta", meta));
      // mousedown would take the focus from the box (and close the list) before the click.
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
      item.addEventListener("click", function () {
        go(index);
      });
      return item;
    }

    function show(query, found) {
      if (query !== input.value.trim()) {
        return; // an older answer, overtaken by typing
      }
      results = found;
      list.replaceChildren.apply(list, found.map(option));
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (found.length) {
        open();
        status.textContent =
          found.length + (found.length === 1 ? " page" : " pages") + " found: use the arrow keys to choose.";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        results = [];
        close();
        return;
      }
      if (cache[query]) {
        show(query, cache[query]);
        return;
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(url + "?" + new URLSearchParams({ q: query }), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          cache[query] = data.results;
          show(query, data.results);
        })
        .catch(function () {
          // Aborted or offline: the plain search still works.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var count = results.length;
      if (event.key === "ArrowDown" && count) {
        event.preventDefault();
        open();
        select(active + 1 < count ? active + 1 : 0);
      } else if (event.key === "ArrowUp" && count) {
        event.preventDefault();
        open();
        select(active > 0 ? active - 1 : count - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          results = [];
        }
      }
    });

    input.addEventListener("blur", close);
    input.addEventListener("focus", function () {
      if (input.value.trim().length >= MIN_LENGTH) {
        open();
      }
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(enhance);
})();
