/* The phone's join form. With JavaScript the selfie is cropped square and shrunk to 256 px in
 * the browser (the server then only checks it and makes the thumbnail), and the join goes to the
 * lean endpoint (/fastjoin/, issue 6: thousands of guests at once) with the page's signed
 * ticket; the phone then waits for its receipt and shows "you are on the screen" in place.
 * Without JavaScript, or when the browser cannot shrink the picture, the form posts to the
 * ordinary page, which does all of it on the server. */
(function () {
  "use strict";
  var form = document.getElementById("join-form");
  if (!form) { return; }
  var input = form.querySelector("input[type=file]");
  var preview = document.getElementById("selfie-preview");
  var progress = document.getElementById("join-progress");
  var errorBox = document.getElementById("join-error");
  var waiting = document.getElementById("join-waiting");
  var done = document.getElementById("join-done");
  var button = form.querySelector("button[type=submit]");
  var SIZE = 256;
  var chosen = null, shrinking = Promise.resolve(null), previewUrl = "";

  // The same square as the server's crop without a face: centred, a little above the middle.
  function square(file) {
    return new Promise(function (resolve) {
      if (!window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) { resolve(null); return; }
      createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        var side = Math.min(bitmap.width, bitmap.height);
        var sx = (bitmap.width - side) / 2;
        var sy = Math.max(0, Math.min(bitmap.height - side, bitmap.height * 0.4 - side / 2));
        var canvas = document.createElement("canvas");
        canvas.width = canvas.height = SIZE;
        canvas.getContext("2d").drawImage(bitmap, sx, sy, side, side, 0, 0, SIZE, SIZE);
        canvas.toBlob(function (blob) { resolve(blob); }, "image/jpeg", 0.85);
      }).catch(function () { resolve(null); });
    });
  }

  if (input) {
    input.addEventListener("change", function () {
      chosen = input.files && input.files[0];
      if (!chosen) { preview.hidden = true; shrinking = Promise.resolve(null); return; }
      previewUrl = URL.createObjectURL(chosen);
      preview.querySelector("img").src = previewUrl;
      preview.hidden = false;
      shrinking = square(chosen);
    });
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    waiting.hidden = true;
    button.disabled = false;
  }

  function showDone(status) {
    var nameInput = form.querySelector("input[name=name]");
    var name = done.dataset.name || (nameInput ? nameInput.value : "");
    var heading = done.querySelector("h1");
    heading.textContent = heading.dataset.welcome.replace("__NAME__", name);
    var image = done.querySelector("img");
    if (previewUrl) { image.src = previewUrl; } else { image.hidden = true; }
    form.hidden = true;
    done.hidden = false;
    // A reload shows the ordinary "you are on the screen" page for this receipt.
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", status.done_url); }
  }

  function follow(statusUrl) {
    return fetch(statusUrl + "?wait=20", { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.status === "queued") { return follow(statusUrl); }
        if (status.status === "done" && status.on_wall) { showDone(status); return; }
        if (status.status === "done") { window.location.assign(status.done_url); return; }
        showError(status.message || form.dataset.failed);
      });
  }

  function fastJoin(blob) {
    var data = new FormData();
    data.append("ticket", form.dataset.ticket);
    ["name", "organisation", "contact"].forEach(function (field) {
      var element = form.elements.namedItem(field);
      if (element) { data.append(field, element.value); }
    });
    if (blob) { data.append("photo", blob, "selfie.jpg"); }
    errorBox.hidden = true;
    button.disabled = true;
    return fetch(form.dataset.fastUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        // A server without the lean endpoint mounted (plain WSGI): the ordinary page does it all.
        if (response.status === 404 || response.status === 405) { ordinaryJoin(blob); return; }
        return response.json().then(function (answer) {
          if (response.status !== 202) { showError(answer.message || form.dataset.failed); return; }
          waiting.textContent = form.dataset.waiting;
          waiting.hidden = false;
          return follow(answer.status_url);
        });
      })
      .catch(function () { showError(form.dataset.failed); });
  }

  function ordinaryJoin(blob) {
    var data = new FormData(form);
    if (blob) { data.set("photo", blob, "selfie.jpg"); }
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    button.disabled = true;
    progress.hidden = false;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { progress.firstElementChild.style.width = Math.round((100 * e.loaded) / e.total) + "%"; }
    });
    request.onload = function () {
      if (request.responseURL && request.responseURL !== window.location.href) {
        window.location.assign(request.responseURL);
      } else {
        document.open(); document.write(request.responseText); document.close();
      }
    };
    request.onerror = function () { button.disabled = false; progress.hidden = true; form.submit(); };
    request.send(data);
  }

  form.addEventListener("submit", function (event) {
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    event.preventDefault();
    shrinking.then(function (blob) {
      var fast = form.dataset.fastUrl && form.dataset.ticket && window.fetch;
      if (fast && (blob || !chosen)) { fastJoin(blob); } else { ordinaryJoin(null); }
    });
  });
})();
