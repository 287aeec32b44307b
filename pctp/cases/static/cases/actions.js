// The case page carries each offered action as a closed panel with a link to its form; the
// form is fetched into the panel when it is first opened (rendering every form's widgets
// made up most of the page's time). Without JavaScript the link opens the form as a page.
(function () {
  document.querySelectorAll("details.action[data-form-url]").forEach(function (box) {
    box.addEventListener("toggle", function () {
      if (!box.open || box.dataset.loading) { return; }
      box.dataset.loading = "1";
      var url = box.dataset.formUrl;
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "partial=1",
            {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var lazy = box.querySelector(".lazy");
          var holder = document.createElement("div");
          holder.innerHTML = html;
          while (holder.firstChild) { box.insertBefore(holder.firstChild, lazy); }
          if (lazy) { lazy.remove(); }
          box.removeAttribute("data-form-url");
          var first = box.querySelector("input:not([type=hidden]), select, textarea");
          if (first) { first.focus(); }
        })
        .catch(function () { delete box.dataset.loading; });  // the link still works
    });
  });
})();
