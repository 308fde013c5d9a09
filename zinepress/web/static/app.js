// The page's little script: add and remove lines, upload lines, build in the background and show the
// result. Everything is checked on the server; this only moves text between the page and it.
"use strict";

const form = document.getElementById("build-form");
const lines = document.getElementById("lines");
const template = document.getElementById("line-template");
let lineCount = 0;

function addLine(values = {}, extra = "") {
  lineCount += 1;
  const line = template.content.firstElementChild.cloneNode(true);
  for (const element of line.querySelectorAll("[id], [for], [aria-describedby]")) {
    for (const attribute of ["id", "for", "aria-describedby"]) {
      const value = element.getAttribute(attribute);
      if (value) element.setAttribute(attribute, value.replace("line-N-", `line-${lineCount}-`));
    }
  }
  for (const [name, value] of Object.entries(values)) {
    const input = line.querySelector(`[name="line-${name}"]`);
    if (input) input.value = value;
  }
  line.querySelector('[name="line-extra"]').value = extra;
  line.querySelector(".remove-line").addEventListener("click", () => { line.remove(); renumber(); });
  lines.append(line);
  renumber();
  return line;
}

function renumber() {
  lines.querySelectorAll("[data-line]").forEach((line, index) => {
    line.querySelector(".line-number").textContent = index + 1;
  });
  document.getElementById("no-lines").hidden = lines.children.length > 0;
}

function clearErrors() {
  for (const span of form.querySelectorAll(".error")) span.textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const id of ["form-message", "lines-message"]) document.getElementById(id).textContent = "";
}

// Each error beside its field: {row, field, message}, rows counted from 0 in the table's order.
function showErrors(errors) {
  const rows = lines.querySelectorAll("[data-line]");
  for (const error of errors || []) {
    const row = rows[error.row];
    if (!row) { document.getElementById("lines-message").textContent = error.message; continue; }
    const input = row.querySelector(`[name="line-${error.field}"]`);
    const span = input ? input.parentElement.querySelector(".error") : row.querySelector(".row-error");
    span.textContent = error.message;
    if (input) input.setAttribute("aria-invalid", "true");
  }
  const first = form.querySelector("[aria-invalid]");
  if (first) first.focus();
}

async function answer(response) {
  try { return await response.json(); } catch { return {message: `error: the server answered ${response.status}`}; }
}

async function uploadLines(event) {
  const file = event.target.files[0];
  if (!file) return;
  clearErrors();
  const data = new FormData();
  data.append("file", file);
  data.append("region", form.elements.region.value);
  const response = await fetch("/lines/upload", {method: "POST", body: data});
  const result = await answer(response);
  event.target.value = "";
  if (!response.ok) { document.getElementById("lines-message").textContent = result.message; return; }
  lines.replaceChildren();
  for (const row of result.rows) addLine(row.values, row.extra);
  document.getElementById("lines-settings").value = result.settings || "";
  document.getElementById("lines-message").textContent =
    `Loaded ${result.rows.length} line${result.rows.length === 1 ? "" : "s"} from ${file.name}.`;
  showErrors(result.errors);
}

function showProgress(status) {
  const box = document.getElementById("progress");
  box.hidden = false;
  const bar = box.querySelector("progress");
  bar.max = Math.max(status.total, 1);
  bar.value = status.done;
  const count = status.total ? ` (${Math.min(status.done + 1, status.total)} of ${status.total})` : "";
  box.querySelector(".step").textContent =
    status.state === "queued" ? "Waiting for another build to finish" : `Building: ${status.step}${count}`;
}

async function build(event) {
  event.preventDefault();
  clearErrors();
  const button = document.getElementById("build");
  button.disabled = true;
  try {
    const response = await fetch(form.action, {method: "POST", body: new FormData(form)});
    const started = await answer(response);
    if (!response.ok) {
      document.getElementById("form-message").textContent = started.message;
      showErrors(started.errors);
      return;
    }
    await follow(started);
  } finally {
    button.disabled = false;
  }
}

async function follow(started) {
  let status = {state: "running", step: "starting", done: 0, total: 0};
  while (status.state === "queued" || status.state === "running") {
    showProgress(status);
    await new Promise((resolve) => setTimeout(resolve, 400));
    status = await answer(await fetch(started.status, {headers: {Accept: "application/json"}}));
  }
  document.getElementById("progress").hidden = true;
  if (status.state !== "done") {
    document.getElementById("form-message").textContent = status.message;
    return;
  }
  const result = await fetch(`${started.status}/result`);
  document.getElementById("result").innerHTML = await result.text();
  document.getElementById("result").scrollIntoView({behavior: "smooth"});
}

form.addEventListener("submit", (event) => {
  if (event.submitter && event.submitter.id === "download-lines") return;   // an ordinary form download
  build(event);
});
document.getElementById("add-line").addEventListener("click", () => addLine().querySelector("input").focus());
document.getElementById("upload-lines").addEventListener("change", uploadLines);
renumber();
