/**
 * Running the media tools this module relies on (ffmpeg, ffprobe, pocketsphinx) with a time limit,
 * bounded output buffers, and a clear message naming the Debian package when a tool is missing.
 */
import { spawn } from "node:child_process";
import { InterviewMediaError } from "./errors.ts";

/** The Debian package that ships each tool, for the "not found" message. */
const debianPackage: Record<string, string> = {
  ffmpeg: "ffmpeg",
  ffprobe: "ffmpeg",
  pocketsphinx_continuous: "pocketsphinx",
  pocketsphinx: "pocketsphinx",
};

export interface ToolRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface RunToolOptions {
  /** The tool's name as the user knows it (for messages), e.g. "ffmpeg". */
  tool: string;
  /** The executable to run (a name on PATH or a path); defaults to `tool`. */
  command?: string | undefined;
  timeoutMs: number;
  /** Largest stdout kept, in bytes (default 32 MiB); stderr keeps its last 64 KiB. */
  maxStdoutBytes?: number | undefined;
  /**
   * Called with every stderr line (split on `\n` or `\r`) as it arrives, so a caller can parse a
   * long log that the 64 KiB tail would cut. If it throws, the tool is stopped and that error is
   * the result.
   */
  onStderrLine?: ((line: string) => void) | undefined;
}

/** The message for a tool that is not installed, e.g. "ffmpeg not found: install the Debian package ffmpeg". */
export function toolMissingMessage(tool: string, command?: string): string {
  const base = `${tool} not found: install the Debian package ${debianPackage[tool] ?? tool}`;
  return command && command !== tool ? `${base} (looked for "${command}")` : base;
}

/**
 * Runs a tool and collects its output. Throws `InterviewMediaError` with status `tool-missing` when
 * it is not installed and `timeout` when it runs past `timeoutMs` (it is killed). A non-zero exit is
 * returned, not thrown: what it means depends on the tool.
 */
export function runTool(args: readonly string[], options: RunToolOptions): Promise<ToolRun> {
  const command = options.command ?? options.tool;
  const maxStdout = options.maxStdoutBytes ?? 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = "";
    let failure: InterviewMediaError | undefined;
    const timer = setTimeout(() => {
      failure = new InterviewMediaError("timeout", `${options.tool} ran longer than ${options.timeoutMs} ms and was stopped`);
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) {
        failure ??= new InterviewMediaError("engine-failed", `${options.tool} printed more than ${maxStdout} bytes and was stopped`, { retriable: false });
        child.kill("SIGKILL");
        return;
      }
      out.push(chunk);
    });
    let partial = "";
    const feed = (lines: string[]) => {
      if (!options.onStderrLine || failure) return;
      try {
        for (const line of lines) options.onStderrLine(line);
      } catch (error) {
        failure =
          error instanceof InterviewMediaError
            ? error
            : new InterviewMediaError("engine-failed", `reading ${options.tool} output failed: ${(error as Error).message}`, { cause: error });
        child.kill("SIGKILL");
      }
    };
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      err = (err + text).slice(-64 * 1024);
      if (!options.onStderrLine) return;
      const lines = (partial + text).split(/\r\n|\r|\n/);
      partial = lines.pop() ?? "";
      // A line with no end in sight is not something we parse; keep the buffer bounded.
      if (partial.length > 64 * 1024) partial = partial.slice(-64 * 1024);
      feed(lines);
    });
    child.stderr.on("end", () => {
      if (partial) feed([partial]);
      partial = "";
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === "ENOENT") reject(new InterviewMediaError("tool-missing", toolMissingMessage(options.tool, command), { cause: error }));
      else reject(new InterviewMediaError("engine-failed", `${options.tool} could not be started: ${error.message}`, { cause: error }));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr: err, code });
    });
  });
}

/** The last meaningful line of a tool's stderr, for error messages. */
export function lastLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^INFO:/.test(l));
  return (lines.at(-1) ?? "").slice(0, 300);
}
