/* Obligraph's page data. The block #obligraph-data holds what views/html.py's page_data gives,
   as JSON gzipped and in base64 (html.embed): a fifth of the JSON's size, and nothing in it a
   browser could read as markup. window.obligraphData is a promise of that JSON, inflated by the
   browser's own DecompressionStream from the bytes already in the page — no request is made;
   network.js (and through it panel.js) starts once it is kept. A browser without
   DecompressionStream (before Chrome 80, Firefox 113, Safari 16.4) is told so in the panel. */
(function () {
  "use strict";
  var NO_INFLATE = "This browser cannot open the page’s data: it has no DecompressionStream " +
    "(Chrome or Edge 80, Firefox 113, Safari 16.4 and later have it). Open the page in one of those.";

  function bytes(text) {
    var binary = atob(text), out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }
  function read() {
    if (typeof DecompressionStream !== "function" || typeof Blob.prototype.stream !== "function") {
      return Promise.reject(new Error(NO_INFLATE));
    }
    var block = document.getElementById("obligraph-data");
    var stream = new Blob([bytes(block.textContent)]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  function unreadable(error) {
    var panel = document.getElementById("panel-content");
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var p = document.createElement("p");
    p.className = "note unreadable";
    p.textContent = error && error.message === NO_INFLATE ? NO_INFLATE
      : "The page’s data could not be read (" + String(error && error.message || error) + ").";
    panel.appendChild(p);
    document.body.dataset.error = p.textContent;
  }
  var data;
  try { data = read(); } catch (error) { data = Promise.reject(error); }
  data.catch(unreadable);
  window.obligraphData = data;
})();
