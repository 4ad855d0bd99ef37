// Simple schedule controls: days, opening and closing time write the cron expression and the duration,
// so a planner need not speak cron; the cron field stays for experts. Only plain schedules ("M H * * days") are
// read back into the controls; anything else is left to the cron field, and the controls say so.
(function () {
  var box = document.getElementById("simple-schedule");
  var cron = document.getElementById("id_cron_expression");
  var duration = document.getElementById("id_duration_minutes");
  if (!box || !cron || !duration) {
    return;
  }
  box.hidden = false; // without JavaScript the controls could not write anything: they stay hidden
  var days = Array.prototype.slice.call(box.querySelectorAll("input[name=simple_day]"));
  var start = document.getElementById("simple-start");
  var end = document.getElementById("simple-end");
  var note = document.getElementById("simple-note");
  var defaultNote = note.textContent;
  var NAMES = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function clock(minutes) {
    return pad(Math.floor(minutes / 60) % 24) + ":" + pad(minutes % 60);
  }
  function day(token) {
    var value = NAMES.hasOwnProperty(token.toUpperCase()) ? NAMES[token.toUpperCase()] : Number(token);
    return value === 7 ? 0 : value;
  }
  function parseDays(field) {
    if (field === "*") {
      return [0, 1, 2, 3, 4, 5, 6];
    }
    var result = [];
    var ok = field.split(",").every(function (term) {
      var range = term.split("-");
      if (!/^[0-7A-Za-z]+(-[0-7A-Za-z]+)?$/.test(term)) {
        return false;
      }
      var first = day(range[0]), last = range.length > 1 ? day(range[1]) : first;
      if (range.length > 1 && range[1] === "7") {
        last = 7;
      }
      if (isNaN(first) || isNaN(last) || first > last) {
        return false;
      }
      for (var d = first; d <= last; d++) {
        result.push(d === 7 ? 0 : d);
      }
      return true;
    });
    return ok ? result : null;
  }
  // The cron as it is now, into the controls; false when it is not a plain "M H * * days".
  function read() {
    var fields = cron.value.trim().split(/\s+/);
    var length = parseInt(duration.value, 10);
    if (fields.length !== 5 || !/^\d+$/.test(fields[0]) || !/^\d+$/.test(fields[1]) ||
        fields[2] !== "*" || fields[3] !== "*" || !(length > 0 && length < 1440)) {
      return false;
    }
    var selected = parseDays(fields[4]);
    if (!selected) {
      return false;
    }
    var opens = Number(fields[1]) * 60 + Number(fields[0]);
    days.forEach(function (box) {
      box.checked = selected.indexOf(Number(box.value)) >= 0;
    });
    start.value = clock(opens);
    end.value = clock(opens + length);
    return true;
  }
  function minutesOf(text) {
    var match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
    return match ? Number(match[1]) * 60 + Number(match[2]) : null;
  }
  function dayField(selected) {
    if (selected.length === 7) {
      return "*";
    }
    var runs = [];
    selected.forEach(function (d) {
      var run = runs[runs.length - 1];
      if (run && d === run[1] + 1) {
        run[1] = d;
      } else {
        runs.push([d, d]);
      }
    });
    return runs.map(function (run) {
      return run[1] - run[0] >= 2 ? run[0] + "-" + run[1] : (run[0] === run[1] ? "" + run[0] : run[0] + "," + run[1]);
    }).join(",");
  }
  function write() {
    var selected = days.filter(function (b) { return b.checked; }).map(function (b) { return Number(b.value); });
    selected.sort();
    var opens = minutesOf(start.value), closes = minutesOf(end.value);
    if (!selected.length || opens === null || closes === null || opens === closes) {
      note.textContent = "Choose at least one day, and opening and closing times as HH:MM (24-hour).";
      return;
    }
    note.textContent = defaultNote;
    var length = closes > opens ? closes - opens : closes + 1440 - opens; // closing after midnight
    cron.value = (opens % 60) + " " + Math.floor(opens / 60) + " * * " + dayField(selected);
    duration.value = String(length);
    [cron, duration].forEach(function (field) { // the live check and the unsaved-changes guard listen for these
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  // The controls are not form fields (form="…" elsewhere): their own events must not start a live check.
  [start, end].concat(days).forEach(function (control) {
    ["input", "change"].forEach(function (type) {
      control.addEventListener(type, function (event) {
        event.stopPropagation();
        if (type === "change") {
          write();
        }
      });
    });
  });
  box.addEventListener("toggle", function () {
    if (box.open && !read()) {
      note.textContent = "This cron is more than days and one opening time; edit it in the field above.";
    }
  });
})();
