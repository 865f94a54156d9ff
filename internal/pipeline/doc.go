// Package pipeline runs the whole pipeline — load, check and score, render,
// write — for one site. It is what the command line and the whole-site tests
// call; it holds no logic of its own stages.
package pipeline
