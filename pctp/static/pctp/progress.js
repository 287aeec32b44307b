// Poll a queued or running job (a forecast, an import) and show its progress; reload the
// page when it ends.
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-progress-label]");
  var url = box.dataset.progressUrl;
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (d) {
        if (bar) { bar.value = d.progress; }
        if (label) { label.textContent = d.progress + "%"; }
        var status = document.querySelector("[data-progress-status]");
        if (status && d.status === "running") { status.textContent = status.dataset.running; }
        if (d.status === "done" || d.status === "failed" || d.status === "stalled") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 3000);
        }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 2000);
})();
