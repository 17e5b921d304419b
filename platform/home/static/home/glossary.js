// Progressive enhancement of inline glossary terms (home/glossary.py): without this
// script each term is a link to the glossary; with it, a button next to the term shows
// or hides the definition in place. Escape closes an open definition.
(function () {
  "use strict";
  function setOpen(button, definition, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    definition.hidden = !open;
    definition.classList.toggle("is-open", open);
  }
  document.querySelectorAll(".glossary").forEach(function (wrapper) {
    var link = wrapper.querySelector(".glossary__term");
    var definition = wrapper.querySelector(".glossary__definition");
    if (!link || !definition) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "glossary__toggle";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", definition.id);
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = wrapper.getAttribute("data-toggle-label") || "?";
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = "?";
    button.appendChild(label);
    button.appendChild(mark);
    link.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      setOpen(button, definition, button.getAttribute("aria-expanded") !== "true");
    });
    wrapper.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(button, definition, false);
        button.focus();
      }
    });
  });
})();
