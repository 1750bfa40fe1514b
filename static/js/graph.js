/* The network's pan and zoom: svg-pan-zoom (static/vendor/svg-pan-zoom) on each drawing, with
   our own buttons (its control icons need an inline <style>, which the Content Security Policy
   refuses). Without this script the drawing is shown whole, its nodes and ties still links. */
(function () {
  "use strict";

  function enhance(figure) {
    var svg = figure.querySelector(".g-svg");
    var controls = figure.querySelector(".g-controls");
    if (!svg || typeof window.svgPanZoom !== "function") {
      return;
    }
    figure.classList.add("g-figure--zoomable");
    // Set through the CSSOM (allowed), so that the library need not write a style attribute.
    svg.style.overflow = "hidden";
    var zoom = window.svgPanZoom(svg, {
      viewportSelector: ".g-viewport",
      zoomScaleSensitivity: 0.3,
      minZoom: 0.5,
      maxZoom: 20,
      fit: true,
      center: true,
      dblClickZoomEnabled: false,
      controlIconsEnabled: false
    });
    var actions = {
      in: function () { zoom.zoomIn(); },
      out: function () { zoom.zoomOut(); },
      reset: function () { zoom.resetZoom(); zoom.center(); }
    };
    controls.hidden = false;
    controls.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-graph]");
      if (button) {
        actions[button.getAttribute("data-graph")]();
      }
    });
    // A node or tie reached by the keyboard is brought into view.
    svg.addEventListener("focusin", function (event) {
      var shape = event.target.closest("a");
      if (!shape) {
        return;
      }
      var box = shape.getBoundingClientRect();
      var frame = svg.getBoundingClientRect();
      if (box.left < frame.left || box.right > frame.right || box.top < frame.top || box.bottom > frame.bottom) {
        zoom.panBy({
          x: frame.left + frame.width / 2 - (box.left + box.width / 2),
          y: frame.top + frame.height / 2 - (box.top + box.height / 2)
        });
      }
    });
  }

  document.querySelectorAll(".g-figure").forEach(enhance);
})();
