// A box that scrolls sideways (a wide table on a narrow screen, class "scroll") takes the keyboard
// focus while it scrolls, so that the arrow keys move it (WCAG 2.1.1 Keyboard), and is announced
// as a region named after its table's caption or its section's heading. A box that fits takes no
// focus: no needless stop for the Tab key on a wide screen.
(function () {
  "use strict";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var section = box.closest("section");
    var heading = section && section.querySelector("h2, h3");
    if (heading && heading.textContent.trim()) {
      return heading.textContent.trim();
    }
    var title = document.querySelector("main h1");
    return title ? title.textContent.trim() : "Table";
  }

  function update() {
    document.querySelectorAll(".scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      var ours = box.hasAttribute("data-scroll-region");
      if (scrolls && !ours && !box.hasAttribute("tabindex")) {
        box.setAttribute("data-scroll-region", "");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box) + " (scrolls sideways)");
      } else if (!scrolls && ours) {
        ["data-scroll-region", "tabindex", "role", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }
  }

  update();
  window.addEventListener("resize", later);
  window.addEventListener("load", later); // fonts and images may change the widths
})();
