// facekit for Node.js: baidu-aip-sdk's face client, answered on this machine.
import { AipFace } from './aipface';

export { AipFace };
/** `require('facekit').face`, as `require('baidu-aip-sdk').face`. */
export { AipFace as face };

/** The cloud's response, as baidu-aip-sdk resolves it: the whole envelope, errors included. */
export interface AipResponse<R = any> {
  error_code: number;
  error_msg: string;
  log_id: number;
  timestamp: number;
  cached: number;
  /** The method's result; null on errors. */
  result: R | null;
}

/** Options of a method (`face_field`, `max_face_num`, `user_info`, `match_threshold`, …). */
export type AipOptions = Record<string, unknown>;

/** One image of `match` / `faceverify`: `{ image, image_type, face_type?, quality_control?, … }`. */
export interface MatchImage {
  image: string;
  image_type: 'BASE64' | 'URL' | 'FACE_TOKEN' | string;
  [option: string]: unknown;
}

/** Which engine a client uses. Clients with the same options share one engine and one face library. */
export interface EngineOptions {
  /** Directory of the ONNX models (default: the package's models/, or FACEKIT_MODELS). */
  modelDir?: string;
  /** The ONNX Runtime library (default: onnxruntime-node's, or ORT_DYLIB_PATH). */
  ortLibrary?: string;
  /** SQLite file of the face library (default: in memory, for the life of the process). */
  facesetDb?: string;
  /** Threads each model run uses. */
  threads?: number;
  /** Average the features of each face and its mirror image (default true). */
  flipEmbedding?: boolean;
}

/** baidu-aip-sdk's request hooks; accepted for compatibility (there are no requests). */
export declare class HttpClient {
  static setRequestOptions(options: Record<string, unknown>): void;
  static setRequestInterceptor(interceptor: (options: Record<string, unknown>) => Record<string, unknown>): void;
}

/** The engine with the Baidu JSON API directly. */
export declare class Engine {
  constructor(options?: EngineOptions);
  /** Loads the models now instead of on the first call; resolves with the model directory. */
  open(): Promise<string>;
  /** Any API method (`'detect'`, `'match'`, `'faceset/user/add'`, …); resolves with the whole response. */
  call<R = any>(method: string, request: Record<string, unknown> | unknown[]): Promise<AipResponse<R>>;
}

/** The facekit version. */
export declare const version: string;
/** The ONNX Runtime library this process loaded, once an engine has opened. */
export declare function loadedOrtLibrary(): string | null;
