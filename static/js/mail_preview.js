// The compose page's preview of the HTML message: the frame is made as tall as the message, so
// that the whole report shows and nothing is cut off. The frame's sandbox lets no script run in
// the message; it keeps the page's origin only so that this file, linked by the page (no inline
// script), can measure the message from outside.
(function () {
  "use strict";
  const frames = document.querySelectorAll("iframe.mail-preview");

  function fit(frame) {
    const doc = frame.contentDocument;
    if (!doc || !doc.documentElement) {
      return; // not readable (an older sandbox): the stylesheet's height stays
    }
    // Measured at the frame's width, from nothing, so that the frame also shrinks when wider;
    // its height includes its borders (box-sizing: border-box).
    const borders = frame.offsetHeight - frame.clientHeight;
    frame.style.height = "0";
    frame.style.height = Math.ceil(doc.documentElement.scrollHeight) + borders + "px";
  }

  frames.forEach(function (frame) {
    frame.addEventListener("load", function () {
      fit(frame);
      if (frame.contentDocument && frame.contentDocument.fonts) {
        frame.contentDocument.fonts.ready.then(function () { fit(frame); });
      }
    });
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") {
      fit(frame);
    }
  });

  let pending = false;
  window.addEventListener("resize", function () {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      frames.forEach(fit);
    });
  });
})();
