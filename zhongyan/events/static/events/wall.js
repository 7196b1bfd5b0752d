/* The live wall: guests' faces gather into a rotating sphere.
 * Frames arrive over a WebSocket; on (re)connect the screen catches up from the feed, and while
 * the socket is down it polls the feed, so a screen never stays behind for long. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("wall-config").textContent);
  var canvas = document.getElementById("wall");
  var ctx = canvas.getContext("2d");
  var counter = document.getElementById("guest-count");
  var connection = document.getElementById("connection");
  var faces = new Map();
  var order = [];
  var lastSeq = 0;
  var width = 0, height = 0, ratio = 1, radius = 100;
  var spin = 0, tilt = 0.32, lastTime = 0;
  var SPRITE = 96, FLY_SECONDS = 2.2;

  function resize() {
    ratio = window.devicePixelRatio || 1;
    width = window.innerWidth;
    height = window.innerHeight;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    radius = Math.min(width, height) * 0.36;
  }

  function sprite(image) {
    var c = document.createElement("canvas");
    c.width = c.height = SPRITE;
    var g = c.getContext("2d");
    g.beginPath();
    g.arc(SPRITE / 2, SPRITE / 2, SPRITE / 2 - 2, 0, Math.PI * 2);
    g.closePath();
    g.save();
    g.clip();
    g.drawImage(image, 0, 0, SPRITE, SPRITE);
    g.restore();
    g.lineWidth = 3;
    g.strokeStyle = "rgba(255,255,255,0.85)";
    g.stroke();
    return c;
  }

  function layout() {
    // A Fibonacci lattice spreads n points evenly over the sphere.
    var n = order.length, golden = Math.PI * (3 - Math.sqrt(5));
    for (var i = 0; i < n; i++) {
      var face = faces.get(order[i]);
      var y = 1 - ((i + 0.5) / n) * 2, r = Math.sqrt(1 - y * y), theta = golden * i;
      face.tx = Math.cos(theta) * r; face.ty = y; face.tz = Math.sin(theta) * r;
      if (face.x === undefined) { face.x = face.tx; face.y = face.ty; face.z = face.tz; }
    }
  }

  function setCount(count) {
    if (typeof count === "number" && counter) { counter.textContent = String(count); }
  }

  function addGuest(guest, fresh) {
    if (faces.has(guest.id)) { return; }
    lastSeq = Math.max(lastSeq, guest.seq || 0);
    var face = { id: guest.id, name: guest.name, organisation: guest.organisation, sprite: null,
                 fly: fresh ? 0 : 1, alpha: fresh ? 1 : 0, leaving: false };
    faces.set(guest.id, face);
    order.push(guest.id);
    layout();
    var image = new Image();
    image.onload = function () { face.sprite = sprite(image); };
    // In a burst a face's file is written just after its frame: a catch-up may ask too early.
    image.onerror = function () {
      if (!image.dataset.retried) { image.dataset.retried = "1"; window.setTimeout(function () { image.src = guest.thumbnail + "?again=1"; }, 2000); }
    };
    image.src = guest.picture || guest.thumbnail;
    if (fresh) { announce(guest); }
  }

  function removeGuest(id) {
    var face = faces.get(id);
    if (face) { face.leaving = true; }
  }

  var banner = null;
  function announce(guest) {
    banner = { text: guest.organisation ? guest.name + " · " + guest.organisation : guest.name, until: performance.now() + 4000 };
  }

  function project(x, y, z) {
    // Rotate about the vertical axis, then tilt towards the viewer, then perspective.
    var cs = Math.cos(spin), sn = Math.sin(spin);
    var x1 = x * cs + z * sn, z1 = -x * sn + z * cs;
    var ct = Math.cos(tilt), st = Math.sin(tilt);
    var y1 = y * ct - z1 * st, z2 = y * st + z1 * ct;
    return [x1, y1, z2];
  }

  function draw(time) {
    var dt = Math.min(0.1, (time - (lastTime || time)) / 1000);
    lastTime = time;
    spin += dt * 0.18;
    ctx.clearRect(0, 0, width, height);
    var n = Math.max(order.length, 1);
    var size = Math.max(12, Math.min(96, Math.sqrt((4 * Math.PI * radius * radius) / n) * 0.62));
    var cx = width / 2, cy = height / 2 + height * 0.04, camera = 3.2;
    var items = [];
    var removed = false;
    faces.forEach(function (face, id) {
      var ease = Math.min(1, dt * 2.5);
      face.x += (face.tx - face.x) * ease; face.y += (face.ty - face.y) * ease; face.z += (face.tz - face.z) * ease;
      if (face.leaving) {
        face.alpha -= dt * 2;
        if (face.alpha <= 0) { faces.delete(id); removed = true; return; }
      } else if (face.alpha < 1) { face.alpha = Math.min(1, face.alpha + dt * 1.5); }
      var p = project(face.x, face.y, face.z);
      if (face.fly < 1) {
        // A newcomer starts large in front of the sphere and flies to its place.
        face.fly = Math.min(1, face.fly + dt / FLY_SECONDS);
        var t = 1 - Math.pow(1 - face.fly, 3);
        p = [p[0] * t, p[1] * t, p[2] * t + 2.4 * (1 - t)];
      }
      items.push([p, face]);
    });
    if (removed) { order = order.filter(function (id) { return faces.has(id); }); layout(); }
    items.sort(function (a, b) { return a[0][2] - b[0][2]; });
    for (var i = 0; i < items.length; i++) {
      var p2 = items[i][0], face2 = items[i][1];
      if (!face2.sprite) { continue; }
      var scale = camera / (camera - p2[2]);
      var s = size * scale * (face2.fly < 1 ? 1 + 2.5 * (1 - face2.fly) : 1);
      var depth = (p2[2] + 1) / 2;
      ctx.globalAlpha = face2.alpha * (0.35 + 0.65 * Math.max(0, Math.min(1, depth)));
      ctx.drawImage(face2.sprite, cx + p2[0] * radius * scale - s / 2, cy - p2[1] * radius * scale - s / 2, s, s);
    }
    ctx.globalAlpha = 1;
    if (banner && time < banner.until) {
      ctx.font = "600 " + Math.round(height * 0.035) + "px 'Noto Sans CJK SC', 'PingFang SC', sans-serif";
      ctx.textAlign = "center";
      ctx.fillStyle = "rgba(255,255,255," + Math.min(1, (banner.until - time) / 600) + ")";
      ctx.fillText(banner.text, cx, height - height * 0.06);
    }
    window.requestAnimationFrame(draw);
  }

  // --- network ----------------------------------------------------------------------------
  var socket = null, failures = 0, pollTimer = null, polls = 0, syncing = false;

  function setState(state) { if (connection) { connection.dataset.state = state; } }

  function catchUp(full) {
    if (syncing) { return Promise.resolve(); }
    syncing = true;
    var after = full ? 0 : lastSeq;
    return fetch(config.feed + "&after=" + after, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) {
        var fresh = !full && lastSeq > 0;
        data.guests.forEach(function (guest) { addGuest(guest, fresh && data.guests.length < 20); });
        data.hidden.forEach(removeGuest);
        setCount(data.count);
        syncing = false;
        if (data.more) { return catchUp(false); }
      })
      .catch(function () { syncing = false; });
  }

  function startPolling() {
    if (pollTimer) { return; }
    setState("polling");
    pollTimer = window.setInterval(function () {
      polls += 1;
      catchUp(polls % 10 === 0);
    }, 3000);
  }

  function stopPolling() {
    if (pollTimer) { window.clearInterval(pollTimer); pollTimer = null; }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + window.location.host + config.socket);
    } catch (error) {
      failures += 1; startPolling(); window.setTimeout(connect, 15000); return;
    }
    socket.onopen = function () {
      failures = 0;
      stopPolling();
      setState("live");
      catchUp(false);
    };
    socket.onmessage = function (message) {
      var frame = JSON.parse(message.data);
      if (frame.type === "joined") { addGuest(frame.guest, true); setCount(frame.count); }
      else if (frame.type === "joined_batch") {
        // A burst arrives in batches: the last few fly in, the rest take their place at once.
        frame.guests.forEach(function (guest, i) { addGuest(guest, i >= frame.guests.length - 12); });
        setCount(frame.count);
      }
      else if (frame.type === "hidden") { removeGuest(frame.id); setCount(frame.count); }
    };
    socket.onclose = function () {
      failures += 1;
      setState("reconnecting");
      if (failures >= 2) { startPolling(); }
      window.setTimeout(connect, Math.min(15000, 1000 * Math.pow(2, failures - 1)));
    };
  }

  window.setInterval(function () {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify({ type: "ping" })); }
  }, 25000);

  window.zhongyanWall = {
    count: function () { return faces.size; },
    ids: function () { return Array.from(faces.keys()); },
    state: function () { return connection ? connection.dataset.state : ""; }
  };

  window.addEventListener("resize", resize);
  resize();
  catchUp(true).then(connect);
  window.requestAnimationFrame(draw);
})();
