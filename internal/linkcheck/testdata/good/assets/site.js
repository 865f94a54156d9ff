// Marks the page as scripted; names the SVG namespace, which is no request.
"use strict";
const svgNS = "http://www.w3.org/2000/svg";
document.documentElement.classList.add("js");
document.createElementNS(svgNS, "svg");
