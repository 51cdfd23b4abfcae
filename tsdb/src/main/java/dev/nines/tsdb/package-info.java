/** The embedded time-series engine: values shared by its mechanisms. */
package dev.nines.tsdb;
