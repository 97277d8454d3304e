// Progressive enhancement of the weekly timesheet: arrow keys move between the hour cells
// like a spreadsheet. Without JavaScript, Tab moves through them row by row.
(function () {
  "use strict";
  var grid = document.getElementById("timesheet-grid");
  if (!grid) { return; }
  var rows = Array.prototype.map.call(grid.tBodies[0].rows, function (row) {
    return Array.prototype.map.call(row.cells, function (cell) { return cell.querySelector("input"); });
  });
  grid.addEventListener("keydown", function (event) {
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    var move = moves[event.key];
    if (!move || event.target.tagName !== "INPUT") { return; }
    var input = event.target;
    // Left and right move the caret within the text first, as in a spreadsheet.
    if (move[1] === -1 && input.selectionStart > 0) { return; }
    if (move[1] === 1 && input.selectionEnd < input.value.length) { return; }
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(input);
      if (c < 0) { continue; }
      for (var rr = r + move[0], cc = c + move[1]; rows[rr] && rows[rr][cc] !== undefined; rr += move[0], cc += move[1]) {
        if (rows[rr][cc]) { rows[rr][cc].focus(); rows[rr][cc].select(); event.preventDefault(); return; }
      }
      return;
    }
  });
})();
