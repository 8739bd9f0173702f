export declare function openapiToTypeScript(spec: object): Promise<string>;
