/* Attest editor: small conveniences on top of forms that work without it.
   - the caret lands where ?append= left room for a sentence (data-caret on the textarea);
   - "Use this passage" puts a source's exact passage in place of a quote it does not contain
     (in the body, or in the field its data-target names: a fact's source);
   - leaving a form with unsaved text asks first (data-unsaved: the page shows posted text). */
(function () {
  "use strict";

  var body = document.querySelector("textarea[data-editor='body']");

  if (body && body.hasAttribute("data-caret")) {
    var caret = parseInt(body.getAttribute("data-caret"), 10);
    if (!isNaN(caret)) {
      body.focus();
      body.setSelectionRange(caret, caret);
      // Scroll the textarea itself so that the caret's line is in view.
      body.scrollTop = body.scrollHeight;
    }
  }

  document.querySelectorAll("[data-replace-quote]").forEach(function (button) {
    var targetId = button.getAttribute("data-target");
    var field = targetId ? document.getElementById(targetId) : body;
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var quote = button.getAttribute("data-replace-quote");
      var passage = button.getAttribute("data-with");
      var at = field.value.indexOf(quote);
      if (at === -1) {
        button.textContent = "Quote not found in the text";
        button.disabled = true;
        return;
      }
      field.value = field.value.slice(0, at) + passage + field.value.slice(at + quote.length);
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
      field.setSelectionRange(at, at + passage.length);
      button.textContent = "Passage used";
      button.disabled = true;
    });
  });

  document.querySelectorAll("form[data-editor-form]").forEach(function (form) {
    var unsaved = form.hasAttribute("data-unsaved");
    form.addEventListener("input", function () {
      unsaved = true;
    });
    form.addEventListener("submit", function () {
      unsaved = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (unsaved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  });
})();
