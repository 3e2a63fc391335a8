import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { logger } from './log.js';

/** An error that maps to an HTTP status (thrown by services, rendered by errorHandler). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

type AsyncRoute = (req: Request, res: Response) => Promise<void>;

/** Express 4 does not catch rejected handlers: forward the rejection to `next`. */
export function asyncHandler(route: AsyncRoute): RequestHandler {
  return (req, res, next) => {
    route(req, res).catch(next);
  };
}

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const status = err instanceof HttpError ? err.status : 500;
  if (status >= 500) logger.error(`${req.method} ${req.originalUrl} failed`, err);
  res.status(status).json({ error: err instanceof Error ? err.message : 'internal error' });
}
