// The answer control of one quiz question, drawn by anywidget (helpers/assessment/answer.py).
//
// A single-choice question is a real radio group: one Tab stop, the arrow keys move between the
// options and pick one, Enter checks the answer. A multiple-choice question is one Tab stop too:
// the arrow keys move between the boxes and Space ticks one. A numeric question is a text box in
// which Enter checks. The keys pressed here stay here: JupyterLab's notebook shortcuts (the arrow
// keys select cells, Enter edits one) do not see them.

function render({ model, el }) {
  el.classList.add("hfq-answer");
  el.setAttribute("data-lm-suppress-shortcuts", "true"); // JupyterLab 4: no notebook shortcuts here
  const kind = model.get("kind");
  const submit = () => {
    model.set("submits", model.get("submits") + 1);
    model.save_changes();
  };
  const keep = (event) => event.stopPropagation(); // for the classic Notebook's shortcuts

  if (kind === "number") {
    const box = document.createElement("input");
    box.type = "text";
    box.inputMode = "decimal";
    box.className = "hfq-number";
    box.placeholder = "type a number";
    box.setAttribute("aria-label", model.get("label"));
    box.value = model.get("text");
    box.addEventListener("input", () => {
      model.set("text", box.value);
      model.save_changes();
    });
    box.addEventListener("keydown", (event) => {
      keep(event);
      if (event.key === "Enter") {
        event.preventDefault();
        model.set("text", box.value);
        submit();
      }
    });
    const sync = () => {
      if (box.value !== model.get("text")) box.value = model.get("text");
      box.disabled = model.get("disabled");
    };
    model.on("change:text", sync);
    model.on("change:disabled", sync);
    sync();
    el.appendChild(box);
    return;
  }

  const multiple = kind === "multiple";
  const group = document.createElement("div");
  group.className = "hfq-options";
  group.setAttribute("role", multiple ? "group" : "radiogroup");
  group.setAttribute("aria-label", model.get("label"));
  const name = "hfq-" + Math.random().toString(36).slice(2);
  const inputs = model.get("options").map((label, position) => {
    const row = document.createElement("label");
    row.className = "hfq-option";
    const input = document.createElement("input");
    input.type = multiple ? "checkbox" : "radio";
    input.name = name;
    input.value = String(position);
    const text = document.createElement("span");
    text.innerHTML = label; // HTML made in Python from the bank's Markdown (no raw HTML passes)
    row.append(input, text);
    group.appendChild(row);
    return input;
  });
  const send = () => {
    model.set("value", inputs.filter((i) => i.checked).map((i) => Number(i.value)));
    model.save_changes();
  };
  inputs.forEach((input) => input.addEventListener("change", send));

  // Checkboxes: one Tab stop (a roving tabindex), the arrow keys move between them.
  let current = 0;
  const rove = (to) => {
    current = (to + inputs.length) % inputs.length;
    inputs.forEach((input, i) => (input.tabIndex = i === current ? 0 : -1));
  };
  if (multiple) {
    rove(0);
    inputs.forEach((input, i) => input.addEventListener("focus", () => rove(i)));
  }
  group.addEventListener("keydown", (event) => {
    keep(event);
    if (event.key === "Enter") {
      event.preventDefault();
      send();
      submit();
    } else if (multiple && ["ArrowDown", "ArrowRight", "ArrowUp", "ArrowLeft"].includes(event.key)) {
      event.preventDefault();
      rove(current + (event.key === "ArrowDown" || event.key === "ArrowRight" ? 1 : -1));
      inputs[current].focus();
    }
  });
  const sync = () => {
    const picked = new Set(model.get("value"));
    inputs.forEach((input, i) => {
      input.checked = picked.has(i);
      input.disabled = model.get("disabled");
    });
  };
  model.on("change:value", sync);
  model.on("change:disabled", sync);
  sync();
  el.appendChild(group);
}

export default { render };
