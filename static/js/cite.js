/* Cite on…: select words in a source's text, then open the form that cites them on a page.
   Progressive enhancement: without this script the "Cite a passage on a page…" link opens the
   same form, where the passage is pasted. Needs only the actions include (data-cite-on, the
   form's address) and the element holding the stored text ([data-cite-text] or .stored-text). */
(function () {
  "use strict";

  var actions = document.querySelector("[data-cite-on]");
  var text = document.querySelector("[data-cite-text]") || document.querySelector(".stored-text");
  if (!actions || !text || !window.getSelection) {
    return;
  }
  var button = actions.querySelector(".cite-on__button");
  var status = actions.querySelector(".cite-on__status");
  var formUrl = actions.getAttribute("data-cite-on");
  var maxLength = parseInt(actions.getAttribute("data-cite-max"), 10) || 1000;
  var passage = "";
  var timer = null;

  /* The selected words when the whole selection lies inside the text, on one line. */
  function selectedPassage(selection) {
    var range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) {
      return "";
    }
    return selection.toString().replace(/\s+/g, " ").trim();
  }

  function say(message) {
    status.textContent = message;
    status.hidden = !message;
  }

  function shorten(words) {
    return words.length > 80 ? words.slice(0, 77) + "…" : words;
  }

  function update() {
    var selection = window.getSelection();
    var current = "";
    if (selection.rangeCount === 0 || selection.isCollapsed) {
      /* Tabbing to the button drops the selection: keep the passage, which the status line
         still shows, unless the reader clicked into the text to deselect it. */
      if (selection.rangeCount === 0 || !text.contains(selection.anchorNode)) {
        return;
      }
    } else {
      current = selectedPassage(selection);
    }
    if (current === passage) {
      return;
    }
    passage = current;
    var usable = passage && passage.length <= maxLength;
    button.setAttribute("aria-disabled", usable ? "false" : "true");
    if (!passage) {
      say("");
    } else if (passage.length > maxLength) {
      say("Selected " + passage.length + " characters: a citation quotes at most " + maxLength + ".");
    } else {
      say("Selected: “" + shorten(passage) + "”. Choose “Cite selected passage on…” to pick the page.");
    }
  }

  function cite() {
    if (!passage) {
      say("Select words in the text first, then choose “Cite selected passage on…”.");
      return;
    }
    if (passage.length > maxLength) {
      say("The selection is " + passage.length + " characters long; a citation quotes at most " +
          maxLength + ". Select a shorter passage.");
      return;
    }
    window.location.assign(formUrl + "?passage=" + encodeURIComponent(passage));
  }

  button.hidden = false;
  /* A click must not take the selection away before it is read. */
  button.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });
  /* A native button: Enter and Space activate it; aria-disabled keeps it focusable. */
  button.addEventListener("click", cite);
  /* selectionchange fires on every step of a drag: read the selection once it settles. */
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 150);
  });
})();
