// Amounts in đồng: as the officer types, the amount the server will store is shown under
// the field with its thousands separators ("85.000.000 đ"), or a warning when the text
// could be read two ways. The server reads it the same way (pctp/core/money.py) and
// refuses what is ambiguous; this is only the preview before saving.
(function () {
  function parse(text) {
    text = text.trim().replace(/\s*(đồng|đ|vnđ|vnd|₫)\s*$/i, "").trim();
    if (!text) { return null; }
    if (/^\d+$/.test(text)) { return text; }
    var m = /^\d{1,3}([., \u00a0])\d{3}(\1\d{3})*$/.exec(text);
    if (m && m[1] === "," && text.split(",").length === 2) { return undefined; }  // "1,500"
    return m ? text.replace(/\D/g, "") : undefined;
  }
  function group(digits) {
    return digits.replace(/^0+(?=\d)/, "").replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-money]")) { return; }
    var out = input.nextElementSibling;
    if (!out || !out.classList.contains("money-preview")) {
      out = document.createElement("output");
      out.className = "money-preview sub";
      out.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", out);
    }
    var value = parse(input.value);
    if (value === null) { out.textContent = ""; out.classList.remove("bad"); return; }
    if (value === undefined) {
      out.textContent = input.dataset.moneyBad || "Không đọc được số tiền: nhóm ba chữ số bằng dấu chấm, ví dụ 85.000.000";
      out.classList.add("bad");
      return;
    }
    out.classList.remove("bad");
    out.textContent = "= " + group(value) + " đ";
  });
})();
