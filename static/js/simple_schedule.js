// Simple schedule controls: days, opening and closing time write the cron expression and the duration, so a
// planner need not speak cron; the cron field stays for experts. The controls read the cron (and the duration)
// whenever either changes, so they always show what will be saved. A cron they cannot show (steps, several
// hours, days of the month, months) disables them and says why: they never rewrite a cron they did not read.
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
  var controls = days.concat([start, end]);
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
      if (!/^[0-7A-Za-z]{1,3}(-[0-7A-Za-z]{1,3})?$/.test(term)) {
        return false;
      }
      var range = term.split("-");
      var first = day(range[0]), last = range.length > 1 ? day(range[1]) : first;
      if (range.length > 1 && range[1] === "7") {
        last = 7;
      }
      if (isNaN(first) || isNaN(last) || first > last || first > 7 || last > 7) {
        return false;
      }
      for (var d = first; d <= last; d++) {
        result.push(d === 7 ? 0 : d);
      }
      return true;
    });
    return ok ? result : null;
  }
  function plainNumber(text, below) {
    return /^\d{1,2}$/.test(text) && Number(text) < below;
  }
  // Why the controls cannot show a cron field's value, in a few words ("" when they can).
  function why(text, what) {
    if (text.indexOf("/") >= 0) {
      return "its " + what + " repeat in steps (" + text + ")";
    }
    if (text.indexOf(",") >= 0) {
      return "it names several " + what + " (" + text + ")";
    }
    if (text.indexOf("-") >= 0) {
      return "it names a range of " + what + " (" + text + ")";
    }
    return "its " + what + " field (" + text + ") is not a plain number";
  }
  // The cron and duration as they are now: {days, opens, length} or {reason}.
  function parse() {
    var fields = cron.value.trim().split(/\s+/);
    if (fields.length !== 5) {
      return { reason: "it is not five fields (minute hour day-of-month month day-of-week)" };
    }
    if (!plainNumber(fields[0], 60)) {
      return { reason: why(fields[0], "minutes") };
    }
    if (!plainNumber(fields[1], 24)) {
      return { reason: why(fields[1], "hours") };
    }
    if (fields[2] !== "*") {
      return { reason: "it names days of the month (" + fields[2] + ")" };
    }
    if (fields[3] !== "*") {
      return { reason: "it names months (" + fields[3] + ")" };
    }
    var selected = parseDays(fields[4]);
    if (!selected) {
      return { reason: "its days of the week (" + fields[4] + ") are not a plain list of days" };
    }
    var length = /^\d{1,4}$/.test(duration.value.trim()) ? Number(duration.value.trim()) : NaN;
    if (!(length > 0 && length < 1440)) {
      return { reason: "the duration is not between 1 and 1439 minutes" };
    }
    return { days: selected, opens: Number(fields[1]) * 60 + Number(fields[0]), length: length };
  }
  function enable(on) {
    controls.forEach(function (control) {
      control.disabled = !on;
    });
  }
  // Show the cron in the controls, or disable them saying why they cannot.
  function read() {
    var schedule = parse();
    if (schedule.reason) {
      enable(false);
      note.textContent = "These controls cannot show this cron: " + schedule.reason +
        ". Edit it in the cron field above.";
      return false;
    }
    enable(true);
    note.textContent = defaultNote;
    days.forEach(function (control) {
      control.checked = schedule.days.indexOf(Number(control.value)) >= 0;
    });
    start.value = clock(schedule.opens);
    end.value = clock(schedule.opens + schedule.length);
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
  controls.forEach(function (control) {
    ["input", "change"].forEach(function (type) {
      control.addEventListener(type, function (event) {
        event.stopPropagation();
        if (type === "change") {
          write();
        }
      });
    });
  });
  // Typed into the cron or the duration (or written by the controls themselves): the controls follow.
  [cron, duration].forEach(function (field) {
    field.addEventListener("input", read);
  });
  box.addEventListener("toggle", read);
  read();
})();
