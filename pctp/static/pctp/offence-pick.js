// Offence pickers (issue 17): an input marked data-offence-pick suggests articles and
// clauses as the officer types an article number or words of the offence's name, with or
// without diacritics (the server folds them: /law/offences/suggest.json). Picking fills:
//  - data-offence-pick="article": this input with the article and the form's clause field;
//  - data-offence-pick="charges": the charge being typed (after the last comma) as 173.2.
// Without JavaScript the field still takes what is typed ("173.2, 168").
(function () {
  var timer = null;
  function current(input) {
    if (input.dataset.offencePick !== "charges") { return input.value; }
    var parts = input.value.split(",");
    return parts[parts.length - 1];
  }
  function choose(input, item) {
    if (input.dataset.offencePick === "charges") {
      var parts = input.value.split(",");
      parts[parts.length - 1] = (parts.length > 1 ? " " : "") + item.code;
      input.value = parts.join(",");
    } else {
      input.value = item.article;
      var clause = input.form && input.form.querySelector("[name=clause]");
      if (clause) { clause.value = item.clause || ""; }
    }
    close(input);
    input.focus();
  }
  function close(input) {
    var list = input.parentNode.querySelector("ul.picker");
    if (list) { list.remove(); }
    input.setAttribute("aria-expanded", "false");
  }
  function show(input, items) {
    close(input);
    if (!items.length) { return; }
    var list = document.createElement("ul");
    list.className = "picker";
    list.setAttribute("role", "listbox");
    items.forEach(function (item, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = input.id + "-opt-" + i;
      li.textContent = item.label;
      li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(input, item); });
      li._item = item;
      list.appendChild(li);
    });
    input.parentNode.style.position = "relative";
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("aria-expanded", "true");
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-offence-pick]")) { return; }
    var q = current(input).trim();
    clearTimeout(timer);
    if (q.length < 2) { close(input); return; }
    timer = setTimeout(function () {
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {results: []}; })
        .then(function (data) { show(input, data.results || []); });
    }, 150);
  });
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-offence-pick]")) { return; }
    var list = input.parentNode.querySelector("ul.picker");
    if (!list) { return; }
    var items = Array.prototype.slice.call(list.children);
    var at = items.findIndex(function (li) { return li.classList.contains("active"); });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (at >= 0) { items[at].classList.remove("active"); }
      at = event.key === "ArrowDown" ? Math.min(at + 1, items.length - 1) : Math.max(at - 1, 0);
      items[at].classList.add("active");
      input.setAttribute("aria-activedescendant", items[at].id);
    } else if (event.key === "Enter" && at >= 0) {
      event.preventDefault();
      choose(input, items[at]._item);
    } else if (event.key === "Escape") {
      close(input);
    }
  });
  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-offence-pick]")) {
      setTimeout(function () { close(input); }, 100);
    }
  });
})();
