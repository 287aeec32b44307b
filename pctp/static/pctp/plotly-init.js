// Draw every Plotly figure whose JSON sits in a <script type="application/json"> block.
document.querySelectorAll("script.plotly-figure").forEach(function (node) {
  var target = document.getElementById(node.dataset.target);
  if (!target || !window.Plotly) { return; }
  var fig = JSON.parse(node.textContent);
  window.Plotly.newPlot(target, fig.data, fig.layout, {responsive: true, displaylogo: false});
});
