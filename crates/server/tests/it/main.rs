//! HTTP tests of the hub web application, through the router (no socket), on a small demo hub.

mod admin;
mod analysis;
mod browser;
mod catalog;
mod estimate;
mod federation;
mod maps;
mod matrix;
mod releases;
mod submit;
mod support;
mod web;
