// Progressive help on the report form: show the identity fields only when wanted, and
// offer the phone's location (never sent unless the person presses the button).
(function () {
  var radios = document.querySelectorAll("input[name=anonymous]");
  var who = document.getElementById("who");
  function sync() {
    var named = document.querySelector("input[name=anonymous][value=no]");
    if (who && named) { who.hidden = !named.checked; }
  }
  radios.forEach(function (r) { r.addEventListener("change", sync); });
  sync();
  var btn = document.getElementById("use-location");
  if (btn && navigator.geolocation) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
        document.getElementById("id_lon").value = pos.coords.longitude.toFixed(6);
        document.getElementById("location-status").textContent = btn.dataset.done;
      });
    });
  }
})();
