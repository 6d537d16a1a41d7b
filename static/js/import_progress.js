// The progress of an import read or applied by a worker: polls the status address given by the
// page's [data-import-status] element, moves its <progress> bar, says when no worker has taken
// the task after a few seconds ([data-no-worker], decided by the server from the task's queue
// time), and reloads the page when the worker is done. No inline script: the page only links
// this file.
(function () {
  "use strict";
  const box = document.querySelector("[data-import-status]");
  if (!box) {
    return;
  }
  const bar = box.querySelector("progress");
  const count = box.querySelector("[data-import-count]");
  const state = box.querySelector("[data-import-state]");
  const noWorker = box.querySelector("[data-no-worker]");

  function show(status) {
    state.textContent = status.label;
    if (noWorker) {
      noWorker.hidden = !status.waiting_for_worker;
    }
    // The words come from the server, in the page's language.
    count.textContent = status.progress_text;
    if (status.total) {
      bar.max = status.total;
      bar.value = status.done;
    } else if (status.done) {
      bar.removeAttribute("value");
    }
  }

  async function poll() {
    try {
      const response = await fetch(box.dataset.importStatus, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (response.ok) {
        const status = await response.json();
        if (!status.working) {
          window.location.reload();
          return;
        }
        show(status);
      }
    } catch (error) {
      // A network hiccup: the next poll tries again.
    }
    window.setTimeout(poll, 1500);
  }

  window.setTimeout(poll, 1000);
})();
